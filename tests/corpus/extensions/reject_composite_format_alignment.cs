// expect: reject cost
public static class Pad { public static string Wide(int x) => string.Format("{0,-900000:X2}", x); }
