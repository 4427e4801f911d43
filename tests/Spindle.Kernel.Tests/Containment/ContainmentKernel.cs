using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Domain;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>
/// A dispatcher and linker with one kernel event, "probe" (int to int, 0 when nobody answers), exported to every
/// extension: the smallest kernel a containment test needs. Extensions are loaded with the given limits.
/// </summary>
internal sealed class ContainmentKernel
{
    private readonly DomainOptions _options;
    public readonly global::Spindle.Kernel.Dispatcher.Dispatcher Dispatcher = new();
    public readonly Event<int, int> Probe;
    public readonly Linker Linker;

    /// <summary>Creates the kernel and declares the probe event; extensions get <paramref name="options"/>.</summary>
    public ContainmentKernel(DomainOptions options)
    {
        _options = options;
        Linker = new Linker(Dispatcher);
        Probe = Dispatcher.Declare(KernelOwner.Core, "probe", (int _) => 0, out _);
        Linker.Public.Export<IReadOnlyList<Event<int, int>>>(new[] { Probe });
    }

    /// <summary>Links and initializes an instrumented image as domain <paramref name="name"/>.</summary>
    public ProtectionDomain Load(string name, byte[] image)
    {
        var domain = Linker.CreateVerified(name, image, _options);
        Linker.LinkAndInitialize(domain, []);
        return domain;
    }

    /// <summary>Extension source installing <paramref name="body"/> as its handler of probe(a) for a == <paramref name="key"/>.</summary>
    public static string Handler(string name, int key, string body, string members = "") => $$"""
        using System;
        using System.Collections.Generic;
        using Spindle.Sdk;
        using Spindle.Sdk.Dispatcher;
        public sealed class {{name}} : IExtension
        {
            {{members}}
            public void Initialize(IExtensionContext c)
            {
                var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
                c.Dispatcher.Install(probe, Handle, a => a == {{key}});
            }
            public static int Handle(int x) { {{body}} }
        }
        """;
}
