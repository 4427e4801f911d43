// expect: reject cost
public static class Pad { public static string Wide(int x) => $"[{x,1000000}]"; }
