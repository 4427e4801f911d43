// expect: reject environment
// class: 5
// Guid.CreateVersion7() reads the host clock (its first 48 bits are the Unix time in milliseconds): a clock
// the kernel did not grant. The compiler must refuse it as it refuses DateTime.UtcNow.
using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class GuidVersion7 : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a) => Guid.CreateVersion7().GetHashCode();
}
