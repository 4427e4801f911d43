// expect: contained load
// fault: static constructor
// class: 1
// A static constructor throws an exception whose Message getter throws (the runtime wraps it in a
// TypeInitializationException, which the linker unwraps). The load must end in a DomainException.
using System;
using Spindle.Sdk;

public sealed class MessageThrowsException : Exception
{
    public override string Message => throw new InvalidOperationException("hostile Message getter");
}

public static class Boot
{
    public static readonly int Ready;

    static Boot() => throw new MessageThrowsException();
}

public sealed class CctorMessageThrows : IExtension
{
    public void Initialize(IExtensionContext c) { }
}
