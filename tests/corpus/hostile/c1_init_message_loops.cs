// expect: contained load
// fault: Initialize faulted
// class: 1
// Initialize throws an exception whose Message getter never returns. The linker describes the fault after the
// meter is disarmed: reading the message there hangs the kernel. The load must end in a DomainException.
using System;
using Spindle.Sdk;

public sealed class MessageLoopsException : Exception
{
    public override string Message { get { while (!Hang.Released) { } return "released"; } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class InitMessageLoops : IExtension
{
    public void Initialize(IExtensionContext c) => throw new MessageLoopsException();
}
