// expect: reject cost
public static class Digits { public static string Wide(int x) => x.ToString("D999999999"); }
