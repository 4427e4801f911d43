// expect: accept
public struct Pair { public int A; public long B; }
public static class Tuples
{
    public static (int Min, int Max) Range(int[] xs) { var (lo, hi) = (int.MaxValue, int.MinValue); foreach (var x in xs) { if (x < lo) lo = x; if (x > hi) hi = x; } return (lo, hi); }
    public static bool Same(object a) => a.GetType() == typeof(Pair) && a.GetType().Name == "Pair";
}
