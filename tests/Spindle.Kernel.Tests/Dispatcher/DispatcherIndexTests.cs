using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;
using KDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Dispatcher;

public class DispatcherIndexTests
{
    private readonly KDispatcher _d = new();
    private readonly TestOwner _kernel = new("kernel");
    private readonly TestOwner _ext = new("ext", fuel: 100_000);

    private static int IndexedCount<TArg, TResult>(Event<TArg, TResult> ev) => ((EventTable<TArg, TResult>)ev.Table!).IndexedCount;

    [Fact]
    public void SyscallTrap_ThousandHandlersGuardedOnTheCallNumber_AreIndexed()
    {
        var trap = _d.Declare<Trap, long>(_kernel, "Syscall", _ => -38, out _); // ENOSYS
        for (long k = 0; k < 1000; k++)
        {
            long number = k; // captured: read once at install
            _d.Install(_ext, trap, a => a.A0 + number * 1000, a => a.Number == number && a.A0 >= 0);
        }
        Assert.Equal(1000, IndexedCount(trap));
        for (long k = 0; k < 1000; k++)
            Assert.Equal(k * 1000 + 5, trap.Raise(new Trap(k, 5)));
        Assert.Equal(-38, trap.Raise(new Trap(1000, 5)));  // no handler for this number: intrinsic only
        Assert.Equal(-38, trap.Raise(new Trap(7, -1)));    // residual guard false
        Assert.Empty(_ext.Faults);
    }

    [Fact]
    public void NullSyscall_TakingOverOneCallLeavesTheRest()
    {
        var trap = _d.Declare<Trap, long>(_kernel, "Syscall", a => a.Number == 172 ? 1234 : -38, out var intrinsic);
        var authorized = _d.Declare<Trap, long>(_kernel, "Syscall2", _ => -38, out _, new EventOptions<Trap, long>
        {
            Default = _ => -38,
        });
        _d.Install(_ext, trap, _ => 0, a => a.Number == 500);
        Assert.Equal(0, trap.Raise(new Trap(500, 0)));
        Assert.Equal(1234, trap.Raise(new Trap(172, 0)));
        Assert.Equal(-38, authorized.Raise(new Trap(500, 0)));
        Assert.True(intrinsic.Installed);
    }

    [Fact]
    public void IndexedAndUnindexedHandlers_RunInTheDeclaredOrder()
    {
        var log = new List<string>();
        var ev = _d.Declare<Trap, long>(_kernel, "E", _ => { log.Add("i"); return 0; }, out var intrinsic);
        Func<Trap, long> L(string s) => _ => { log.Add(s); return 0; };
        var x5 = _d.Install(_kernel, ev, L("x5"), a => a.Number == 5);
        _d.Install(_kernel, ev, L("any"), a => a.A0 >= 0, InstallOptions.First);
        _d.Install(_kernel, ev, L("y5"), a => 5 == a.Number, InstallOptions.Before(intrinsic));
        _d.Install(_kernel, ev, L("z6"), a => a.Number == 6, InstallOptions.Before(x5));
        _d.Install(_kernel, ev, L("w5"), a => a.A0 == 1 && a.Number == 5);
        Assert.Equal(4, IndexedCount(ev));
        ev.Raise(new Trap(5, 1));
        Assert.Equal(["any", "y5", "i", "x5", "w5"], log);
        log.Clear();
        ev.Raise(new Trap(6, -1));
        Assert.Equal(["i", "z6"], log);
        x5.Uninstall();
        log.Clear();
        ev.Raise(new Trap(5, 0));
        Assert.Equal(["any", "y5", "i"], log);
    }

    [Fact]
    public void EnumStringAndNestedReferenceKeys_AreIndexed_AndNullPathsMiss()
    {
        var ev = _d.Declare<Packet?, int>(_kernel, "Packet", _ => -1, out var intrinsic);
        intrinsic.Uninstall();
        _d.Install(_ext, ev, _ => 53, p => p!.Header!.Port == 53);
        _d.Install(_ext, ev, _ => 80, p => p!.Header!.Port == 80 && p.Proto == Proto.Tcp);
        Assert.Equal(2, IndexedCount(ev));
        Assert.Equal(53, ev.Raise(new Packet { Proto = Proto.Udp, Header = new Header { Port = 53 } }));
        Assert.Equal(80, ev.Raise(new Packet { Proto = Proto.Tcp, Header = new Header { Port = 80 } }));
        Assert.Equal(0, ev.Raise(new Packet { Proto = Proto.Udp, Header = new Header { Port = 80 } }));
        Assert.Equal(0, ev.Raise(new Packet { Header = null }));
        Assert.Equal(0, ev.Raise(null));

        var byProto = _d.Declare<Packet, int>(_kernel, "ByProto", _ => 0, out _);
        _d.Install(_kernel, byProto, _ => 17, p => p.Proto == Proto.Udp);
        _d.Install(_kernel, byProto, _ => 99, p => p.Tag == "dns");
        Assert.Equal(1, IndexedCount(byProto));   // the first equality picks the key path
        Assert.Equal(17, byProto.Raise(new Packet { Proto = Proto.Udp }));
        Assert.Equal(99, byProto.Raise(new Packet { Proto = Proto.Tcp, Tag = "dns" }));

        var byTag = _d.Declare<Packet, int>(_kernel, "ByTag", _ => 0, out _);
        _d.Install(_kernel, byTag, _ => 99, p => p.Tag == "dns");
        Assert.Equal(1, IndexedCount(byTag));
        Assert.Equal(99, byTag.Raise(new Packet { Tag = "dns" }));
        Assert.Equal(0, byTag.Raise(new Packet { Tag = "http" }));
    }

    [Fact]
    public void IndexIsDroppedWhenEmpty_AndAnotherKeyPathCanTakeOver()
    {
        var ev = _d.Declare<Trap, long>(_kernel, "E", _ => 0, out _);
        var b = _d.Install(_kernel, ev, _ => 1, a => a.Number == 1);
        var c = _d.Install(_kernel, ev, _ => 2, a => a.A0 == 2);
        Assert.Equal(1, IndexedCount(ev));
        b.Uninstall();
        Assert.Equal(0, IndexedCount(ev));
        _d.Install(_kernel, ev, _ => 3, a => a.A0 == 3);
        Assert.Equal(1, IndexedCount(ev));   // A0 now indexes; c stays in the unindexed list and still works
        Assert.Equal(2, ev.Raise(new Trap(0, 2)));
        Assert.Equal(3, ev.Raise(new Trap(0, 3)));
        Assert.True(c.Installed);
    }

    [Fact]
    public void Raise_AllocatesNothing_WithGuardsIndexAndUntrustedHandlers()
    {
        var ev = _d.Declare<Trap, long>(_kernel, "E", a => a.A0, out _, new EventOptions<Trap, long> { Combine = (x, y) => x + y });
        for (long k = 0; k < 100; k++)
        {
            long n = k;
            _d.Install(_ext, ev, a => n, a => a.Number == n);
        }
        _d.Install(_ext, ev, a => 1, a => a.A0 > 0);
        long sum = 0;
        for (int i = 0; i < 200; i++) sum += ev.Raise(new Trap(i % 101, i & 1)); // compiles every bucket
        long allocated = SteadyState.Allocated(() =>
        {
            for (int i = 0; i < 10_000; i++) sum += ev.Raise(new Trap(i % 101, i & 1));
        });
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    [Fact]
    public void ManyInstallsAndUninstalls_KeepTheOrder_AfterRelabelling()
    {
        var log = new List<int>();
        var ev = _d.Declare<Trap, long>(_kernel, "E", _ => 0, out var intrinsic);
        intrinsic.Uninstall();
        var anchor = _d.Install(_kernel, ev, _ => { log.Add(0); return 0; });
        // Always inserting right after the anchor halves the same gap: forces relabelling.
        for (int i = 1; i <= 100; i++)
        {
            int id = i;
            _d.Install(_kernel, ev, _ => { log.Add(id); return 0; }, options: InstallOptions.After(anchor));
        }
        ev.Raise(default);
        Assert.Equal([0, .. Enumerable.Range(1, 100).Reverse()], log);
    }
}

/// <summary>The index's entry paths: one-bare-handler buckets run from the event routine, others by their own routine.</summary>
public class DispatcherIndexPathTests
{
    private readonly KDispatcher _d = new();
    private readonly TestOwner _kernel = new("kernel");
    private readonly TestOwner _ext = new("ext", fuel: 100_000);

    [Fact]
    public void NegativeHugeAndSparseCallNumbers_ReachTheirHandlersOnly()
    {
        long[] numbers = [long.MinValue, -1, 0, 1L << 40, long.MaxValue];
        var ev = _d.Declare<Trap, long>(_kernel, "Syscall", _ => -38, out _);
        foreach (long n in numbers)
        {
            long key = n;
            _d.Install(_kernel, ev, a => key == long.MinValue ? 7 : key / 2, a => a.Number == key);
        }
        foreach (long n in numbers)
        {
            Assert.Equal(n == long.MinValue ? 7 : n / 2, ev.Raise(new Trap(n, 0)));
            if (!numbers.Contains(unchecked(n + 1))) Assert.Equal(-38, ev.Raise(new Trap(unchecked(n + 1), 0)));
        }
    }

    [Fact]
    public void KeyedHandlerBeforeTheUnindexedOnes_AndAfterAnUnindexedInstall_KeepTheOrder()
    {
        var log = new List<string>();
        var ev = _d.Declare<Trap, long>(_kernel, "E", _ => { log.Add("i"); return 0; }, out _);
        Func<Trap, long> L(string s) => _ => { log.Add(s); return 0; };
        _d.Install(_kernel, ev, L("k1"), a => a.Number == 1);                       // after the intrinsic: shared path
        _d.Install(_kernel, ev, L("k2"), a => a.Number == 2, InstallOptions.First); // before it: own routine
        _d.Install(_ext, ev, L("k3"), a => a.Number == 3);                          // metered: own routine
        void Expect(long n, params string[] order) { log.Clear(); ev.Raise(new Trap(n, 0)); Assert.Equal(order, log); }
        Expect(1, "i", "k1");
        Expect(2, "k2", "i");
        Expect(3, "i", "k3");
        var late = _d.Install(_kernel, ev, L("u"));  // now every keyed handler precedes an unindexed one
        Expect(1, "i", "k1", "u");
        Expect(2, "k2", "i", "u");
        Expect(3, "i", "k3", "u");
        late.Uninstall();
        Expect(1, "i", "k1");
        Expect(4, "i");
    }

    [Fact]
    public void LastKeyedHandlerLeaving_DropsTheIndex_AndItsKeyFallsBackToTheUnindexedHandlers()
    {
        var ev = _d.Declare<Trap, long>(_kernel, "E", _ => -1, out _);
        var bindings = Enumerable.Range(0, 50).Select(k => _d.Install(_kernel, ev, _ => k, a => a.Number == k)).ToList();
        for (int k = 0; k < 50; k++) Assert.Equal(k, ev.Raise(new Trap(k, 0)));
        foreach (var b in bindings) b.Uninstall();
        Assert.Equal(0, ((EventTable<Trap, long>)ev.Table!).IndexedCount);
        for (int k = 0; k < 50; k++) Assert.Equal(-1, ev.Raise(new Trap(k, 0)));
    }

    [Fact]
    public async Task UninstallingAndReinstallingKeys_WhileRaising_NeverLosesAStableKey()
    {
        var ev = _d.Declare<Trap, long>(_kernel, "Syscall", _ => -38, out _);
        for (long k = 0; k < 64; k++)
        {
            long key = k;
            _d.Install(_kernel, ev, _ => key, a => a.Number == key);  // stable keys 0..63
        }
        var wrong = new List<string>();
        using var stop = new CancellationTokenSource();
        var raiser = Task.Run(() =>
        {
            for (long i = 0; !stop.IsCancellationRequested || i < 10_000; i++)
            {
                long stable = i % 64, churned = 1000 + i % 200 * 7919;
                long r = ev.Raise(new Trap(stable, 0)), c = ev.Raise(new Trap(churned, 0));
                if (r != stable || c is not (-38) && c != churned) lock (wrong) wrong.Add($"{stable}->{r}, {churned}->{c}");
            }
        });
        for (int round = 0; round < 30; round++)
        {
            var churn = Enumerable.Range(0, 200).Select(j =>
            {
                long key = 1000 + j * 7919L;   // sparse: forces the hashed layout, rebuilds and tombstones
                return _d.Install(_kernel, ev, _ => key, a => a.Number == key);
            }).ToList();
            var plain = _d.Install(_kernel, ev, _ => 0, options: InstallOptions.First);  // unindexed change: every entry goes stale
            foreach (var b in churn) b.Uninstall();
            plain.Uninstall();
        }
        stop.Cancel();
        await raiser;
        Assert.Empty(wrong);
        Assert.Equal(64, ((EventTable<Trap, long>)ev.Table!).IndexedCount);
    }
}
