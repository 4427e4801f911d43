// expect: contained load
// fault: already exported
// class: 1
// Initialize exports, twice, an object whose Equals, GetHashCode, ToString, IEquatable.Equals and
// CompareTo never return. The kernel must refuse the second export (and so the load) without calling any
// of them: a service is keyed by its interface type, never by the object.
using System;
using Spindle.Sdk;

public sealed class Hostile : IComparable, IEquatable<Hostile>
{
    public int CompareTo(object? obj) { Spin(); return 0; }
    public bool Equals(Hostile? other) { Spin(); return false; }
    public override bool Equals(object? obj) { Spin(); return false; }
    public override int GetHashCode() { Spin(); return 0; }
    public override string ToString() { Spin(); return "released"; }

    private static void Spin() { while (!Hang.Released) { } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class ExportHostileObject : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        c.Export<IComparable>(new Hostile());
        c.Export<IComparable>(new Hostile());
    }
}
