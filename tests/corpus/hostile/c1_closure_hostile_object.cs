// expect: contained handler
// fault: InvalidOperationException
// class: 1
// The handler's closure object (handed to the kernel by Install) is hostile: Equals, GetHashCode, ToString,
// IEquatable.Equals and IDisposable.Dispose never return. The handler itself throws a plain exception. The
// kernel may hold the object but must never call into it outside containment, including when it destroys
// the domain.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class Hostile : IEquatable<Hostile>, IDisposable
{
    public bool Equals(Hostile? other) { Spin(); return false; }
    public override bool Equals(object? obj) { Spin(); return false; }
    public override int GetHashCode() { Spin(); return 0; }
    public override string ToString() { Spin(); return "released"; }
    public void Dispose() => Spin();

    private static void Spin() { while (!Hang.Released) { } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class ClosureHostileObject : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, new Hostile(), a => a == 2);
    }

    public static int Handle(Hostile self, int a) => throw new InvalidOperationException("plain");
}
