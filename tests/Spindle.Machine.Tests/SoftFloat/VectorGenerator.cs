namespace Spindle.Machine.Tests.SoftFloat;

/// <summary>
/// Deterministic (seeded) test vectors: edge values (zeros, subnormal and normal limits, infinities, quiet
/// and signaling NaNs, integer-conversion boundaries), structured values biased toward hard cases
/// (cancellation, halfway points, results near overflow/underflow, near-integers, near-squares), and random bits.
/// </summary>
internal sealed class VectorGenerator(int seed)
{
    private readonly Random rng = new(seed);

    private readonly record struct Format(int FracBits, int ExpBits)
    {
        public int Bias => (1 << (ExpBits - 1)) - 1;
        public int ExpMax => (1 << ExpBits) - 1;
        public ulong Sign => 1UL << (FracBits + ExpBits);
        public ulong FracMask => (1UL << FracBits) - 1;
        public ulong Inf => (ulong)ExpMax << FracBits;
        public ulong Pack(bool neg, int exp, ulong frac) => (neg ? Sign : 0) | ((ulong)exp << FracBits) | (frac & FracMask);
        public int Exp(ulong x) => (int)(x >> FracBits) & ExpMax;
        public ulong FromDouble(double d) => FracBits == 52 ? BitConverter.DoubleToUInt64Bits(d) : BitConverter.SingleToUInt32Bits((float)d);
        public double ToDouble(ulong x) => FracBits == 52 ? BitConverter.UInt64BitsToDouble(x) : BitConverter.UInt32BitsToSingle((uint)x);
    }

    private static readonly Format S = new(23, 8), D = new(52, 11);

    private static double P(int n) => Math.ScaleB(1.0, n);

    private static Format Of(FpKind k) => k == FpKind.F32 ? S : D;

    /// <summary>Edge values of a format, both signs, including NaNs and conversion boundaries.</summary>
    private static ulong[] Edges(Format f)
    {
        var v = new List<ulong>();
        ulong one = (ulong)f.Bias << f.FracBits;
        ulong[] positive =
        [
            0, 1, 2, f.FracMask, f.FracMask - 1, 1UL << f.FracBits, (1UL << f.FracBits) + 1, f.Inf - 1, f.Inf - 2, f.Inf,
            one, one + 1, one - 1, one | (1UL << (f.FracBits - 1)), one + (1UL << f.FracBits),
            f.Inf | (1UL << (f.FracBits - 1)), f.Inf | (1UL << (f.FracBits - 1)) | 1, f.Inf | 1, f.Inf | (f.FracMask >> 1),
            f.FromDouble(0.5), f.FromDouble(2.5), f.FromDouble(3.0), f.FromDouble(1.0 / 3),
        ];
        foreach (ulong x in positive) { v.Add(x); v.Add(x | f.Sign); }
        foreach (double p in new[] { P(31), P(32), P(63), P(64) })
        {
            ulong x = f.FromDouble(p);
            foreach (ulong y in new[] { x - 1, x, x + 1 }) { v.Add(y); v.Add(y | f.Sign); }
        }
        return [.. v];
    }

    private static readonly ulong[] EdgesS = Edges(S), EdgesD = Edges(D);
    private static ulong[] EdgesOf(Format f) => f.FracBits == 52 ? EdgesD : EdgesS;

    private static readonly ulong[] IntEdges =
    [
        0, 1, ulong.MaxValue, 2, 3, int.MaxValue, unchecked((ulong)int.MinValue), (ulong)uint.MaxValue, 0x80000000,
        0xffffff, 0x1000000, 0x1000001, 0x1000003, 0x2000003, 0x7fffffc0, 0x7fffffbf, (1UL << 53) - 1, 1UL << 53,
        (1UL << 53) + 1, (1UL << 54) + 2, long.MaxValue, 1UL << 63, (1UL << 63) + 1, ulong.MaxValue - 1,
        unchecked((ulong)-0x1000001), unchecked((ulong)-(1L << 53) - 1), 0xfffffffffffff800, 0xfffffffffffffc00,
    ];

    /// <summary>perRm vectors for each rounding mode the op takes (5 * perRm for ops without one),
    /// plus, for binary float ops, every pair of edge values.</summary>
    public List<FpVector> For(FpOp op, int perRm)
    {
        var list = new List<FpVector>();
        int[] modes = op.UsesRm ? [0, 1, 2, 3, 4] : [0];
        int count = op.UsesRm ? perRm : perRm * 5;
        foreach (int rm in modes)
        {
            for (int i = 0; i < count; i++)
            {
                var (a, b, c) = Operands(op);
                list.Add(new FpVector(op.Name, rm, a, b, c));
            }
            if (op.Arity == 2)
            {
                ulong[] e = EdgesOf(Of(op.In));
                foreach (ulong a in e)
                    foreach (ulong b in e) list.Add(new FpVector(op.Name, rm, a, b, 0));
            }
        }
        return list;
    }

    private (ulong, ulong, ulong) Operands(FpOp op)
    {
        if (op.In is FpKind.I32 or FpKind.I64) return (Int(op.In), 0, 0);
        Format f = Of(op.In);
        if (op.Arity == 1)
        {
            if (op.Out is FpKind.I32 or FpKind.I64 && rng.Next(2) == 0) return (NearInteger(f), 0, 0);
            if (op.Name.StartsWith("fsqrt") && rng.Next(3) == 0) return (NearSquare(f), 0, 0);
            if (op.Name == "fcvt.s.d" && rng.Next(2) == 0) return (NearNarrowLimit(), 0, 0);
            return (Float(f), 0, 0);
        }
        var (x, y) = Pair(f);
        return (x, y, op.Arity == 3 ? Addend(f, x, y) : 0);
    }

    private ulong Bits(int n) => n == 0 ? 0 : Random64() >> (64 - n);

    private ulong Random64() => (ulong)rng.NextInt64() << 1 ^ (ulong)rng.Next(2);

    private ulong Float(Format f)
    {
        int r = rng.Next(100);
        if (r < 20) return EdgesOf(f)[rng.Next(EdgesOf(f).Length)];
        if (r < 80) return Structured(f);
        return Random64() & (f.Sign << 1) - 1;
    }

    // Random sign, an exponent biased to the extremes or around 1, and a patterned fraction.
    private ulong Structured(Format f)
    {
        int r = rng.Next(100);
        int exp = r switch
        {
            < 12 => 0,
            < 22 => rng.Next(1, 5),
            < 32 => rng.Next(f.ExpMax - 4, f.ExpMax),
            < 35 => f.ExpMax,
            _ => f.Bias + rng.Next(-40, 41),
        };
        return f.Pack(rng.Next(2) == 0, exp, Fraction(f));
    }

    private ulong Fraction(Format f)
    {
        int k = rng.Next(f.FracBits);
        return rng.Next(8) switch
        {
            0 => 0,
            1 => f.FracMask,
            2 => 1UL << k,
            3 => f.FracMask ^ (1UL << k),
            4 => Random64() & ~((1UL << k) - 1),
            5 => Random64() & ((1UL << k) - 1),
            _ => Random64(),
        } & f.FracMask;
    }

    // Two operands: independent, nearly equal (cancellation, equality), exponents aligned a short
    // distance apart, or exponents chosen so a product or quotient lands near underflow or overflow.
    private (ulong, ulong) Pair(Format f)
    {
        ulong a = Float(f);
        int r = rng.Next(100);
        if (r < 40) return (a, Float(f));
        if (r < 60) return (a, (a + (ulong)rng.Next(-3, 4)) ^ (rng.Next(2) == 0 ? f.Sign : 0));
        if (r < 75) return (a, f.Pack(rng.Next(2) == 0, Math.Clamp(f.Exp(a) + rng.Next(-60, 61), 0, f.ExpMax - 1), Fraction(f)));
        if (r < 85) return NearMinNormalPair(f);
        int target = rng.Next(2) == 0 ? rng.Next(-f.FracBits - 3, 3) : rng.Next(f.ExpMax - 3, f.ExpMax + 2);
        int ea = f.Exp(a) == 0 || f.Exp(a) == f.ExpMax ? f.Bias : f.Exp(a);
        if (f.Exp(a) == 0 || f.Exp(a) == f.ExpMax) a = f.Pack(false, ea, a);
        int eb = rng.Next(2) == 0 ? target - ea + f.Bias : ea - target + f.Bias;   // a*b or a/b near target
        return (a, f.Pack(rng.Next(2) == 0, Math.Clamp(eb, 0, f.ExpMax - 1), Fraction(f)));
    }

    // a and b whose product or quotient lies just below the smallest normal number, where tininess
    // after rounding differs from tininess before rounding.
    private (ulong, ulong) NearMinNormalPair(Format f)
    {
        double t = P(1 - f.Bias) * (1 - P(-f.FracBits - 1) * rng.NextDouble() * 3);
        double a = f.ToDouble(f.Pack(rng.Next(2) == 0, f.Bias + rng.Next(-20, 1), Fraction(f)));
        ulong b = f.FromDouble(rng.Next(2) == 0 ? t / a : a / t);
        return (f.FromDouble(a), b ^ (rng.Next(2) == 0 ? f.Sign : 0));
    }

    // An addend for a*b: independent, cancelling the rounded product to within a few ulps, or a short
    // alignment distance below the product.
    private ulong Addend(Format f, ulong a, ulong b)
    {
        ulong p = f.FromDouble(f.ToDouble(a) * f.ToDouble(b));
        int r = rng.Next(100);
        if (r < 35) return Float(f);
        if (r < 70) return (p ^ f.Sign) + (ulong)rng.Next(-3, 4) & (f.Sign << 1) - 1;
        if (r < 85) return f.Pack(rng.Next(2) == 0, 0, Random64() >> rng.Next(64 - f.FracBits, 64));
        return f.Pack(rng.Next(2) == 0, Math.Clamp(f.Exp(p) - rng.Next(0, f.FracBits * 2 + 4), 0, f.ExpMax - 1), Fraction(f));
    }

    // Values within a quarter or an ulp of integers near 0 and the 32/64-bit limits.
    private ulong NearInteger(Format f)
    {
        double[] bases = [0, 1, 2, P(31) - 1, P(31), P(32) - 1, P(32), P(63), P(64), P(24), P(53)];
        double n = rng.Next(3) == 0 ? Math.Floor(Math.ScaleB(rng.NextDouble(), rng.Next(0, 66))) : bases[rng.Next(bases.Length)];
        double v = n + rng.Next(-4, 5) * 0.25;
        ulong x = f.FromDouble(rng.Next(2) == 0 ? -v : v);
        return x + (ulong)rng.Next(-1, 2) & (f.Sign << 1) - 1;
    }

    // Exact squares and their neighbours.
    private ulong NearSquare(Format f)
    {
        double x = f.ToDouble(Structured(f) & ~f.Sign);
        return f.FromDouble(x * x) + (ulong)rng.Next(-1, 2) & (f.Sign << 1) - 1;
    }

    // binary64 values near the binary32 overflow and underflow thresholds, and halfway cases.
    private ulong NearNarrowLimit()
    {
        if (rng.Next(4) == 0) return D.Pack(rng.Next(2) == 0, 1023 - 127, D.FracMask ^ Bits(rng.Next(0, 30)));
        int exp = rng.Next(3) switch { 0 => rng.Next(1023 - 152, 1023 - 124), 1 => rng.Next(1023 + 126, 1023 + 129), _ => 1023 + rng.Next(-5, 5) };
        ulong frac = rng.Next(2) == 0 ? Fraction(D) : (Random64() & ~((1UL << 29) - 1)) | (1UL << 28) | (uint)rng.Next(2);
        return D.Pack(rng.Next(2) == 0, exp, frac);
    }

    private ulong Int(FpKind k)
    {
        int r = rng.Next(100);
        ulong v = r switch
        {
            < 25 => IntEdges[rng.Next(IntEdges.Length)],
            < 75 => Bits(rng.Next(0, 65)),
            _ => Random64(),
        };
        if (rng.Next(4) == 0) v = unchecked(0 - v);
        return k == FpKind.I32 ? (ulong)(long)(int)v : v;
    }
}
