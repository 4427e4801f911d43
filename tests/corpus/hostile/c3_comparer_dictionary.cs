// expect: contained handler
// fault: MeterExhaustedException
// class: 3
// A Dictionary with an IEqualityComparer whose GetHashCode is the leaf "return 0": every key collides, so
// filling it with 4,000 keys makes 8 million Equals calls (leaves too), all inside the base library. The handler
// fills it 50 times: 200,000 metered loop iterations against 400 million unmetered comparisons.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

/// <summary>Every key in one bucket.</summary>
public sealed class Colliding : IEqualityComparer<int>
{
    public bool Equals(int x, int y) => x == y;
    public int GetHashCode(int x) => 0;
}

public sealed class ComparerDictionary : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        var d = new Dictionary<int, int>(4_000, new Colliding());
        for (int round = 0; round < 50; round++)
        {
            d.Clear();
            for (int k = 0; k < 4_000; k++) d[k] = k;
        }
        return d.Count;
    }
}
