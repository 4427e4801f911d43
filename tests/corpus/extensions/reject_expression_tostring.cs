// expect: reject recursion
using System;
using System.Linq.Expressions;
public static class Show
{
    public static string Guard()
    {
        Expression<Func<int, bool>> e = p => p == 7;
        return e.Body.ToString();
    }
}
