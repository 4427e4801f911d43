// expect: reject threading
using System.Runtime.CompilerServices;
public sealed class Counter
{
    private int _n;
    [MethodImpl(MethodImplOptions.Synchronized)]
    public int Next() => ++_n;
}
