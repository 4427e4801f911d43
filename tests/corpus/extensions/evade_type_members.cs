// expect: reject reflection
public static class Sneaky { public static object? Base(object o) => o.GetType().BaseType; }
