// expect: reject runtime-helpers
public static class H { public static object Raw(System.Type t) => System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t); }
