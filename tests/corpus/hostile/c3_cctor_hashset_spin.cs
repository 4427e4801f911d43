// expect: contained load
// fault: static constructor
// class: 3
// A static constructor hands an endless enumerator (MoveNext and Current are leaves) to HashSet.UnionWith:
// the base library loops forever and the static constructor never reaches a metered instruction. The load
// must end in a DomainException once the initialization fuel is spent.
using System;
using System.Collections.Generic;
using Spindle.Sdk;

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

public static class Table
{
    public static readonly HashSet<int> Seen = Fill();

    private static HashSet<int> Fill()
    {
        var set = new HashSet<int>();
        set.UnionWith(new Endless());
        return set;
    }
}

public sealed class CctorHashSetSpin : IExtension
{
    public void Initialize(IExtensionContext c) { }
}
