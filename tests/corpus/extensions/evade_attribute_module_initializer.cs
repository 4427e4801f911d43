// expect: reject not-allowlisted
public static class Boot { [System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { } }
