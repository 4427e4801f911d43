// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// string.Join(",", seq) over an enumerator whose MoveNext and Current are leaves yielding 10,000,000 items:
// the base library loops, formatting each, and the handler spends a few units of fuel. The meter must fire.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

/// <summary>10,000,000 sevens, counted in leaf methods.</summary>
public sealed class Counted : IEnumerable<int>, IEnumerator<int>
{
    private int _left = 10_000_000;
    public int Current => 7;
    object System.Collections.IEnumerator.Current => 7;
    public bool MoveNext() => --_left >= 0;
    public void Reset() { }
    public void Dispose() { }
    public IEnumerator<int> GetEnumerator() => this;
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this;
}

public sealed class EnumStringJoin : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        return string.Join(",", new Counted()).Length;
    }
}
