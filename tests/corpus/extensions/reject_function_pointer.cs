// expect: reject pointer
public static class Fp { public static unsafe void Call(delegate*<void> f) => f(); }
