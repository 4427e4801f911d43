// expect: reject interop
public static class Sneaky { public static object Arr() => System.Array.Empty<System.Runtime.InteropServices.GCHandle>(); }
