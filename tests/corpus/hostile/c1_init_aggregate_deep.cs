// expect: contained load
// fault: Initialize faulted
// class: 1
// crashes-host
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
