// expect: accept
using System;
public static class Checksum
{
    public static uint Fold(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        foreach (var b in data) sum = (sum << 1 | sum >> 31) ^ b;
        return sum;
    }
    public static double Hypot(double a, double b) => System.Math.Sqrt(a * a + b * b);
}
