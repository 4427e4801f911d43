// expect: contained hoard
// class: 4
// Each call pushes a node holding a 4 MB array onto a static linked list.
using System;
using System.Collections.Generic;
using System.Text;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

public sealed class HoardLinkedNodes : IExtension
{
    private sealed class Node(Node? next, long[] payload)
    {
        public readonly Node? Next = next;
        public readonly long[] Payload = payload;
    }

    private static Node? Head;
    private static int Count;

    public void Initialize(IExtensionContext c)
    {
        var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
        c.Dispatcher.Install(probe, Handle, a => a == 2);
    }

    public static int Handle(int a)
    {
        Head = new Node(Head, new long[512 * 1024]);
        return ++Count;
    }
}
