// expect: reject recursion
// class: 1
// (An exception made to wrap another is refused at build: InnerException chains recurse in the base library.)
// Initialize throws a base-library AggregateException around an exception whose Message never returns: the
// aggregate's Message reads the inner one's. The load must end in a DomainException.
using System;
using Spindle.Sdk;

public sealed class LoopingMessageException : Exception
{
    public override string Message { get { while (!Hang.Released) { } return "released"; } }
}

/// <summary>Set only by the test harness when it gives up on a hung case, so that the abandoned thread ends.</summary>
public static class Hang { public static volatile bool Released; }

public sealed class InitAggregateLoops : IExtension
{
    public void Initialize(IExtensionContext c) => throw new AggregateException(new LoopingMessageException());
}
