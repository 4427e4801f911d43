// expect: contained load
// class: 2
// A guard reads a static property whose getter the extension marked [CompilerGenerated] by hand, so that it
// passes for an auto-property; the getter never returns. The dispatcher reads such members once, at Install:
// the read must be metered (or refused). The load must end in a DomainException.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public static class Settings
{
    public static int Key
    {
        [CompilerGenerated]
        get { while (!Hang.Released) { } return 2; }
    }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class GetterLoops : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == Settings.Key);
    }

    public static int Handle(int a) => 0;
}
