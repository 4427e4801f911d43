using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Strand;
using Spindle.Sdk.Strand;

namespace Spindle.Bench.Strand;

/// <summary>
/// SPIN's thread-management table for kernel strands, against host peers in the same class:
/// fork-join (create a strand, run it to completion, join it) vs host Thread create+start+join;
/// ping-pong (one round trip between two strands through wait queues) vs two host threads
/// ping-ponging through Monitor.Wait/Pulse. Ratios are against the host peer of each category.
/// Run: dotnet run -c Release --project bench/Spindle.Bench -- --filter '*StrandBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class StrandBenchmarks
{
    private const int ForkJoins = 1_000, HostForkJoins = 50, Rounds = 10_000;
    private Scheduler _cpu = null!;
    private IStrandService _svc = null!;
    private IWaitQueue _ping = null!, _pong = null!;
    private readonly object _monitor = new();
    private int _turn;           // host ping-pong: 1 = partner's turn, 0 = main thread's
    private bool _stop;
    private Thread? _partner;
    private static readonly KernelBody s_empty = static self => Task.CompletedTask;

    [GlobalSetup]
    public void Setup()
    {
        _cpu = new Scheduler(new Spindle.Kernel.Dispatcher.Dispatcher());
        _svc = _cpu.For(new KernelOwner("bench"));
        _ping = _svc.CreateWaitQueue("ping");
        _pong = _svc.CreateWaitQueue("pong");
        _partner = new Thread(Partner) { IsBackground = true };
        _partner.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        lock (_monitor) { _stop = true; Monitor.PulseAll(_monitor); }
        _partner?.Join();
    }

    /// <summary>A parent strand forks a child strand and joins it, ForkJoins times.</summary>
    [Benchmark(OperationsPerInvoke = ForkJoins), BenchmarkCategory("fork-join")]
    public void StrandForkJoin()
    {
        _svc.SpawnKernel("parent", 10, async self =>
        {
            for (int i = 0; i < ForkJoins; i++)
                await _svc.Join(self, _svc.SpawnKernel("child", 10, s_empty));
        });
        _cpu.RunUntilQuiet();
    }

    /// <summary>Host peer: create, start and join a thread that does nothing.</summary>
    [Benchmark(OperationsPerInvoke = HostForkJoins, Baseline = true), BenchmarkCategory("fork-join")]
    public void HostThreadForkJoin()
    {
        for (int i = 0; i < HostForkJoins; i++)
        {
            var t = new Thread(static () => { });
            t.Start();
            t.Join();
        }
    }

    /// <summary>Two strands pass control back and forth through two wait queues; one op is a round trip.</summary>
    [Benchmark(OperationsPerInvoke = Rounds), BenchmarkCategory("ping-pong")]
    public void StrandPingPong()
    {
        _svc.SpawnKernel("pong", 10, async self =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                await _ping.Wait(self);
                _pong.WakeOne();
            }
        });
        _svc.SpawnKernel("ping", 10, async self =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                _ping.WakeOne();
                await _pong.Wait(self);
            }
        });
        _cpu.RunUntilQuiet();
    }

    /// <summary>Host peer: the main thread and a partner thread alternate through Monitor.Wait/Pulse; one op is a round trip.</summary>
    [Benchmark(OperationsPerInvoke = Rounds, Baseline = true), BenchmarkCategory("ping-pong")]
    public void HostMonitorPingPong()
    {
        lock (_monitor)
        {
            for (int i = 0; i < Rounds; i++)
            {
                _turn = 1;
                Monitor.Pulse(_monitor);
                while (_turn == 1) Monitor.Wait(_monitor);
            }
        }
    }

    // The host ping-pong partner: waits for its turn, hands the turn back.
    private void Partner()
    {
        lock (_monitor)
        {
            while (true)
            {
                while (_turn != 1 && !_stop) Monitor.Wait(_monitor);
                if (_stop) return;
                _turn = 0;
                Monitor.Pulse(_monitor);
            }
        }
    }
}
