// expect: reject cost
using System.Runtime.CompilerServices;
public static class Raw
{
    public static string Build(int n)
    {
        var h = new DefaultInterpolatedStringHandler(n, 0);
        h.AppendLiteral("x");
        return h.ToStringAndClear();
    }
}
