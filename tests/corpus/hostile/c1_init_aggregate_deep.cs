// expect: reject recursion
// class: 1
// (An exception made to wrap another is refused at build: InnerException chains recurse in the base library.)
// Initialize throws 20,000 nested AggregateExceptions. The linker reads the outer Message, which recurses
// through every level (with a stackalloc each) and overflows the kernel's stack. The load must end in a
// DomainException.
using System;
using Spindle.Sdk;

public sealed class InitAggregateDeep : IExtension
{
    public void Initialize(IExtensionContext c)
    {
        Exception e = new InvalidOperationException("bottom");
        for (int i = 0; i < 20_000; i++) e = new AggregateException(e);
        throw e;
    }
}
