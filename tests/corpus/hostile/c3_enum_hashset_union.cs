// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// HashSet.UnionWith(seq) over an endless enumerator whose MoveNext is the leaf "return true" (here: true until
// the test harness releases it) and whose Current is always 0: the set never grows, the base library loops
// forever, and the handler never reaches a metered instruction. The meter must fire.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

/// <summary>Zeros without end, in leaf methods.</summary>
public sealed class Endless : IEnumerable<int>, IEnumerator<int>
{
    public int Current => 0;
    object System.Collections.IEnumerator.Current => 0;
    public bool MoveNext() => !Hang.Released;
    public void Reset() { }
    public void Dispose() { }
    public IEnumerator<int> GetEnumerator() => this;
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this;
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class EnumHashSetUnion : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var set = new HashSet<int>();
        set.UnionWith(new Endless());
        return set.Count;
    }
}
