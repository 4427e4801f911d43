// expect: accept
using System;
public static class Vectors
{
    public static int Sum(params ReadOnlySpan<int> xs) { int s = 0; foreach (var x in xs) s += x; return s; }
    public static int Three(int a, int b, int c) { Span<int> v = [a, b, c]; v[1] += Sum(a, b, c); return v[1]; }
    public static int Tail(int[] a) => a[1..].Length + "kernel"[2..4].Length;
}
