using Spindle.Kernel.Compiler;
using CompilerSource = Spindle.Kernel.Compiler.ExtensionSource;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Domain;
using Spindle.Sdk.Dispatcher;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>
/// The kernel a hostile case runs against: a dispatcher with the kernel's probe event (exported to the public
/// domain as <c>IReadOnlyList&lt;Event&lt;int, int&gt;&gt;</c>, element 0), and a linker whose verifier trusts the
/// test home's kernel key, so that images go through <see cref="Linker.Load"/>, the path the extension manager takes.
/// A good domain answers probe(1) with 101 throughout.
/// </summary>
public sealed class HostileKernel
{
    /// <summary>The limits every hostile domain runs under.</summary>
    public static readonly DomainOptions Options = new() { Fuel = 1_000_000, AllocationBudget = 8 << 20, FaultLimit = 3, MemoryQuota = MemoryQuota };

    /// <summary>The memory a domain may keep across calls (64 MB): the hoard cases require the domain destroyed before it keeps 256 MB.</summary>
    public const long MemoryQuota = 64L << 20;

    /// <summary>The good extension: answers probe(a == 1) with 100 + a.</summary>
    public const string GoodSource = """
        using System.Collections.Generic;
        using Spindle.Sdk;
        using Spindle.Sdk.Dispatcher;
        public sealed class Good : IExtension
        {
            public void Initialize(IExtensionContext c)
            {
                var probe = c.Import<IReadOnlyList<Event<int, int>>>()[0];
                c.Dispatcher.Install(probe, Handle, a => a == 1);
            }
            public static int Handle(int a) => 100 + a;
        }
        """;

    /// <summary>Creates the kernel, verifying images against <paramref name="compiler"/>'s key.</summary>
    public HostileKernel(ExtensionCompiler compiler)
    {
        Linker = new Linker(Dispatcher, image =>
            ExtensionVerifier.Verify(image, compiler.Key, ExtensionPolicy.Default).Select(v => v.ToString()).ToList());
        Probe = Dispatcher.Declare(KernelOwner.Core, "probe", (int _) => 0, out _);
        Linker.Public.Export<IReadOnlyList<Event<int, int>>>(new[] { Probe });
    }

    /// <summary>The kernel's dispatcher.</summary>
    public KernelDispatcher Dispatcher { get; } = new();

    /// <summary>The kernel's linker.</summary>
    public Linker Linker { get; }

    /// <summary>The probe event: handlers see its int argument; its intrinsic answers 0.</summary>
    public Event<int, int> Probe { get; }

    /// <summary>Loads a signed image as domain <paramref name="name"/> under <see cref="Options"/>.</summary>
    public ProtectionDomain Load(string name, byte[] image) => Linker.Load(name, image, Options);

    /// <summary>
    /// Harness cleanup after a case: destroys every extension domain still alive (one the kernel failed to destroy
    /// keeps its load context, and whatever it hoarded, for the rest of the run otherwise). Never throws.
    /// </summary>
    public void DestroyAll()
    {
        foreach (var domain in Linker.Domains)
        {
            if (ReferenceEquals(domain, Linker.Public)) continue;
            try { Linker.Destroy(domain); }
            catch (Exception) { /* the case has already failed or passed; cleanup is best effort */ }
        }
    }

    /// <summary>Builds <paramref name="source"/> (named <paramref name="name"/>) with the trusted compiler; fails the test if refused.</summary>
    public static byte[] Build(ExtensionCompiler compiler, string name, string source)
    {
        var built = compiler.Build(new CompilerSource(name, [(name + ".cs", source)]));
        Assert.True(built.Succeeded, $"{name} was refused:\n" + string.Join("\n", built.Violations));
        return built.Assembly!;
    }
}
