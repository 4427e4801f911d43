// expect: accept
using System.Collections.Generic;
public static class Plain
{
    // Recursion at the same instantiation, and through a fixed larger one, creates finitely many types.
    public static int Count<T>(List<T> items, int from) => from >= items.Count ? 0 : 1 + Count(items, from + 1);
    public static int Once<T>(int n) => n == 0 ? 0 : Wrap<List<T>>(n);
    public static int Wrap<U>(int n) => Once<int>(n - 1);
    public static int Ping<T>(int n) => n == 0 ? 0 : Pong<T>(n - 1);
    public static int Pong<T>(int n) => Ping<T>(n);
}
