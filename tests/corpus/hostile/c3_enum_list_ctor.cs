// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// new List<int>(seq) over an enumerator whose MoveNext and Current are leaves (no call, no loop: the
// instrumenter does not meter them) yielding 30,000,000 items. The base library drives the loop; the handler
// spends a few units of fuel. Work done by extension callbacks must be charged: the meter must fire.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

/// <summary>30,000,000 zeros, counted in leaf methods.</summary>
public sealed class Counted : IEnumerable<int>, IEnumerator<int>
{
    private int _left = 30_000_000;
    public int Current => 0;
    object System.Collections.IEnumerator.Current => 0;
    public bool MoveNext() => --_left >= 0;
    public void Reset() { }
    public void Dispose() { }
    public IEnumerator<int> GetEnumerator() => this;
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this;
}

public sealed class EnumListCtor : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        return new List<int>(new Counted()).Count;
    }
}
