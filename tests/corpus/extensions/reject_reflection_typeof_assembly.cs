// expect: reject reflection
public static class R { public static string Where() => typeof(R).Assembly.FullName ?? ""; }
