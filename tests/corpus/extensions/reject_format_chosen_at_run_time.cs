// expect: reject cost
public static class Digits { public static string Show(int x, string format) => x.ToString(format); }
