// expect: reject unsafe
public static class Pin { public static unsafe int First(int[] a) { fixed (int* p = a) return *p; } }
