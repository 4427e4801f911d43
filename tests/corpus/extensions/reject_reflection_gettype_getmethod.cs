// expect: reject reflection
public static class R { public static object? Grab(object o) => o.GetType().GetMethod("ToString"); }
