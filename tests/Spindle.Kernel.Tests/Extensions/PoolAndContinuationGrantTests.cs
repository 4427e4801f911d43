using Spindle.Kernel.Boot;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Tests.Linux;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Tests.Extensions;

/// <summary>
/// What an extension sees of the new seams: the kernel's packet and block-request pools through their SDK
/// interfaces only, and continuations bound to its domain, which stop running when the domain is destroyed.
/// </summary>
public sealed class PoolAndContinuationGrantTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly KernelRoot _kernel = new(new KernelOptions(MemoryBytes: 16UL << 20));
    private readonly ExtensionManager _manager;

    public PoolAndContinuationGrantTests() => _manager = ExtensionManager.ForKernel(_kernel, _home.Path);

    public void Dispose()
    {
        _kernel.Dispose();
        _home.Dispose();
    }

    private const string Source = """
        using Spindle.Sdk;
        using Spindle.Sdk.Block;
        using Spindle.Sdk.Net;
        using Spindle.Sdk.Strand;
        using Spindle.Sdk.Trap;

        public sealed class Driver : IExtension
        {
            private Mbuf _kept;
            private BlockRequest _request;

            public void Initialize(IExtensionContext c)
            {
                var packets = c.Import<IMbufPool>();
                if (!packets.TryAllocate(64, out _kept)) throw new System.InvalidOperationException("no packet");
                _kept.Prepend(14)[12] = 8;
                var blocks = c.Import<IBlockRequestPool>();
                if (!blocks.TryAllocate(BlockOperation.Read, 0, 1, 1, out _request)) throw new System.InvalidOperationException("no request");
                var done = c.Import<IStrandService>().CreateContinuation("driver", (s, why) => 99);
                c.Dispatcher.Install(c.Import<ITrapEvents>().Syscall, t => { t.Strand.Suspend(null, t.Strand.Now + 1000, done); return true; },
                    t => t.Number == 1077);
            }
        }
        """;

    [Fact]
    public void AnExtensionUsesTheKernelsPoolsAndItsContinuationDiesWithItsDomain()
    {
        Directory.CreateDirectory(_home.Path);
        string path = Path.Combine(_home.Path, "Driver.cs");
        File.WriteAllText(path, Source);
        var loaded = _manager.Load(path, out string? error);
        Assert.True(loaded is not null, error);
        Assert.Equal(1, _kernel.Packets.InUse);
        Assert.Equal(1, _kernel.BlockRequests.InUse);

        var strand = new FakeStrand();
        _kernel.Traps.Syscall.Raise(new SyscallTrap(1077, strand));
        var k = strand.SuspendedIn!;
        Assert.Equal("driver", k.Name);
        Assert.Equal(99, k.Resume(strand, WakeReason.Woken));            // runs under the domain's meter

        _manager.Unload(loaded!);
        Assert.Equal(-Errno.EIO, k.Resume(strand, WakeReason.Woken));    // revoked with the domain: its code no longer runs
    }
}
