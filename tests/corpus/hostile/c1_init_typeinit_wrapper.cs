// expect: reject recursion
// class: 1
// (An exception made to wrap another is refused at build: InnerException chains recurse in the base library.)
// Initialize throws a TypeInitializationException of its own making around a hostile exception: the linker
// unwraps such wrappers and then reads the hostile one's Message, which never returns. The load must end in
// a DomainException.
using System;
using Spindle.Sdk;

public sealed class LoopingMessageException : Exception
{
    public override string Message { get { while (!Hang.Released) { } return "released"; } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class InitTypeInitWrapper : IExtension
{
    public void Initialize(IExtensionContext c) => throw new TypeInitializationException("Fake", new LoopingMessageException());
}
