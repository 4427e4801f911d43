// expect: accept
using System;
public sealed class Counter
{
    public event EventHandler<int>? Changed;
    private int _n;
    public void Bump() { _n++; Changed?.Invoke(this, _n); }
}
public delegate int Transform(int x);
public static class Apply { public static int Twice(Transform f, int x) => f(f(x)); }
