// expect: accept
using System;
using System.Collections.Generic;
public static class Seq
{
    public static IEnumerable<int> Fib() { int a = 0, b = 1; while (true) { yield return a; (a, b) = (b, a + b); } }
    public static int Parse(string s)
    {
        try { return int.Parse(s); }
        catch (FormatException e) when (e.Message.Length > 0) { return -1; }
        finally { }
    }
    public static void Check(object? o) => ArgumentNullException.ThrowIfNull(o);
}
