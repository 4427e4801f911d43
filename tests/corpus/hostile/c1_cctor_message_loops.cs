// expect: contained load
// fault: static constructor
// class: 1
// A static constructor throws an exception whose Message getter never returns; the linker reads it with the
// meter disarmed. The load must end in a DomainException.
using System;
using Spindle.Sdk;

public sealed class MessageLoopsException : Exception
{
    public override string Message { get { while (!Hang.Released) { } return "released"; } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public static class Boot
{
    public static readonly int Ready;

    static Boot() => throw new MessageLoopsException();
}

public sealed class CctorMessageLoops : IExtension
{
    public void Initialize(IExtensionContext c) { }
}
