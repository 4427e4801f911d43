// expect: reject unsafe
public static class U { public static int F(int x) { unsafe { return x; } } }
