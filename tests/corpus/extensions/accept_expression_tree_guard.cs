// expect: accept
using System;
using System.Linq.Expressions;
public static class Guards
{
    public static Expression<Func<int, bool>> PortGuard(int port) => p => p == port;
    public static Expression<Func<string, bool>> NameGuard => s => s.StartsWith("eth") && s.Length < 8;
}
