// expect: contained load
// fault: faulted
// class: 1
// The IExtension class's constructor throws an exception whose Message getter throws (the linker creates the
// instance by reflection, which wraps it). The load must end in a DomainException.
using System;
using Spindle.Sdk;

public sealed class MessageThrowsException : Exception
{
    public override string Message => throw new InvalidOperationException("hostile Message getter");
}

public sealed class CtorMessageThrows : IExtension
{
    public CtorMessageThrows() => throw new MessageThrowsException();

    public void Initialize(IExtensionContext c) { }
}
