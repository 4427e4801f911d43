// expect: contained load
// fault: Initialize faulted
// class: 1
// Initialize throws an exception whose Message getter recurses without end. Read by the linker, the
// recursion ends in the meter's stack check firing outside any metered call, and that exception escapes
// the load. The load must end in a DomainException.
using System;
using Spindle.Sdk;

public sealed class MessageRecursesException : Exception
{
    public override string Message => Deeper(0);

    private static string Deeper(int n) => Deeper(n + 1) + "!";
}

public sealed class InitMessageRecurses : IExtension
{
    public void Initialize(IExtensionContext c) => throw new MessageRecursesException();
}
