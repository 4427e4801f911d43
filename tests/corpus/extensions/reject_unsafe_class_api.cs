// expect: reject unsafe-api
public static class Cast { public static long Bits(double d) => System.Runtime.CompilerServices.Unsafe.As<double, long>(ref d); }
