// expect: contained handler
// fault: PlantedException
// class: 1
// The handler spins until the meter fires, and its finally block throws a planted exception (allocated at
// load, so throwing it needs no metered code) in place of the meter's. The planted exception's Message never
// returns. The raise must return and the fault be charged.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class PlantedException : Exception
{
    public override string Message { get { while (!Hang.Released) { } return "released"; } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class HandlerFinallySwap : IExtension
{
    private static readonly PlantedException Planted = new();

    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        try { while (true) { } }
        finally { throw Planted; }
    }
}
