// expect: reject threading
// class: 5
// [MethodImpl(MethodImplOptions.Synchronized)] on a static method locks the type object, which the runtime
// shares: host thread synchronization the lock statement is refused for. The compiler must refuse it.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class SynchronizedMethod : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    [MethodImpl(MethodImplOptions.Synchronized)]
    public static int Handle(int a) => a + 1;
}
