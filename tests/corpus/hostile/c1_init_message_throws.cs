// expect: contained load
// fault: Initialize faulted
// class: 1
// Initialize throws an exception whose Message getter throws. The load must end in a DomainException: the
// getter's exception must not escape the linker in its place.
using System;
using Spindle.Sdk;

public sealed class MessageThrowsException : Exception
{
    public override string Message => throw new InvalidOperationException("hostile Message getter");
}

public sealed class InitMessageThrows : IExtension
{
    public void Initialize(IExtensionContext c) => throw new MessageThrowsException();
}
