// expect: reject reflection
public static class A { public static object? Make(System.Type t) => System.Activator.CreateInstance(t); }
