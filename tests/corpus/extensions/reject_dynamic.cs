// expect: reject dynamic
public static class D { public static object Twice(dynamic x) => x + x; }
