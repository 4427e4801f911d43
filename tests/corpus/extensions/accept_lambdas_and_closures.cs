// expect: accept
using System;
using System.Collections.Generic;
public static class Filters
{
    public static Func<int, bool> Between(int lo, int hi) => x => x >= lo && x <= hi;
    public static int Count(List<int> xs, Predicate<int> p) { int n = 0; xs.ForEach(x => { if (p(x)) n++; }); return n; }
}
