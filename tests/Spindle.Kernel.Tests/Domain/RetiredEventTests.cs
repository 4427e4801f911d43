using System.Runtime.CompilerServices;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Domain;
using Spindle.Sdk.Dispatcher;
using CompiledSource = Spindle.Kernel.Tests.Containment.ExtensionSource;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Domain;

/// <summary>Events an extension declared are retired when its domain is destroyed, so its code can unload.</summary>
public sealed class RetiredEventTests
{
    // Declares "Ext.Probe" (intrinsic 1, default 5, summing result handler) and exports it.
    private const string Declarer = """
        using System.Collections.Generic;
        using Spindle.Sdk;
        using Spindle.Sdk.Dispatcher;
        public sealed class Entry : IExtension
        {
            public void Initialize(IExtensionContext c)
            {
                var ev = c.Dispatcher.Declare<int, int>("Ext.Probe", a => 1, out _,
                    new EventOptions<int, int> { Default = a => 5, Combine = (x, y) => x + y });
                c.Export<IReadOnlyList<Event<int, int>>>(new[] { ev });
            }
        }
        """;

    private static readonly Lazy<byte[]> Image = new(() => CompiledSource.Build(Declarer, "declarer"));

    [Fact]
    public void DestroyedDeclarer_RetiresItsEvent_AndItsLoadContextIsCollected()
    {
        var dispatcher = new KernelDispatcher();
        var linker = new Linker(dispatcher, _ => []);
        var kernel = linker.CreateKernelDomain("kernel");
        var (weak, ev) = LoadUseAndDestroy(linker, kernel, dispatcher);

        Assert.Equal(10, ev.Raise(0));                              // the kernel's handler still runs; the dead intrinsic does not
        var refused = Assert.Throws<InstallRefusedException>(() => dispatcher.Install(KernelOwner.Core, ev, a => 3));
        Assert.Contains("retired", refused.Message);
        for (int i = 0; i < 20 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(weak.IsAlive, "the destroyed declarer's load context was not collected");
    }

    // Kept out of line so no reference into the extension survives in the caller's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference, Event<int, int>) LoadUseAndDestroy(Linker linker, ProtectionDomain kernel, KernelDispatcher dispatcher)
    {
        var declarer = linker.CreateVerified("declarer", Image.Value);
        linker.LinkAndInitialize(declarer, []);
        linker.Resolve(kernel, declarer);
        Assert.True(kernel.TryImport<IReadOnlyList<Event<int, int>>>(out var events));
        var ev = events[0];
        dispatcher.Install(KernelOwner.Core, ev, a => 10);
        Assert.Equal(11, ev.Raise(0));                              // intrinsic 1 + kernel 10, combined by the declarer
        var weak = new WeakReference(declarer.LoadContext);
        linker.Destroy(declarer);
        return (weak, ev);
    }
}
