// expect: reject threading
// class: 5
// MethodImplOptions.Synchronized on a property accessor of an instance: it locks the object for the call.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class SynchronizedAccessor : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    private static readonly Counter Shared = new();

    public static int Handle(int a) => Shared.Value;

    private sealed class Counter
    {
        private int _value;
        public int Value { [MethodImpl(MethodImplOptions.Synchronized)] get => ++_value; }
    }
}
