using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Spindle.Bench.Suites;
using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Bench.Dispatcher;

/// <summary>The baseline: what a kernel without a dispatcher would do, call a procedure through an interface.</summary>
public interface ISyscallHandler
{
    long Handle(TrapArg arg);
}

/// <summary>The baseline's implementation (not inlined: a procedure call, as the handlers are).</summary>
public sealed class GetpidHandler : ISyscallHandler
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Handle(TrapArg arg) => arg.A0 + 1;
}

/// <summary>
/// Cost of raising an event against a direct interface call, for growing handler sets; and of installing
/// into an event that already has 10,000 handlers.
/// Run: dotnet run -c Release --project bench/Spindle.Bench -- --filter '*DispatchBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class DispatchBenchmarks
{
    private const int Batch = 16;                          // raises per measured invocation, to lift ns-scale calls above timer noise
    private readonly TrapArg[] _args = new TrapArg[Batch]; // call numbers 500, 537, ... (mod 1000): different index buckets
    private readonly IHandlerOwner _kernel = new KernelOwner("bench");
    private readonly Spindle.Kernel.Dispatcher.Dispatcher _d = new();
    private ISyscallHandler _direct = null!;
    private Event<TrapArg, long> _intrinsic = null!, _one = null!, _guarded = null!, _five = null!, _ten = null!, _fifty = null!;
    private Event<TrapArg, long> _indexed1000 = null!, _indexed10k = null!, _unguarded10k = null!;
    private Expression<Func<TrapArg, bool>> _newKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Batch; i++) _args[i] = new TrapArg((500 + 37 * i) % 1000, 7 + i);
        _direct = new GetpidHandler();
        _intrinsic = WithHandlers(0);
        _one = WithHandlers(1);
        _guarded = WithHandlers(0);
        _d.Install(_kernel, _guarded, a => a.A0 * 2, a => a.A0 > 0 && a.Number != 3);
        _five = WithHandlers(5);
        _ten = WithHandlers(10);
        _fifty = WithHandlers(50);
        _indexed1000 = WithKeyedHandlers(1000);
        _indexed10k = WithKeyedHandlers(10_000);
        _unguarded10k = WithHandlers(10_000);
        _newKey = a => a.Number == 1_000_000;
        foreach (var ev in new[] { _intrinsic, _one, _guarded, _five, _ten, _fifty, _indexed1000, _indexed10k, _unguarded10k })
            foreach (var arg in _args) ev.Raise(arg); // compile before measuring
    }

    private Event<TrapArg, long> WithHandlers(int n) => DispatchFixtures.WithHandlers(_d, _kernel, n);

    private Event<TrapArg, long> WithKeyedHandlers(int n) => DispatchFixtures.WithKeyedHandlers(_d, _kernel, n);

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "direct interface call")]
    public long DirectCall()
    {
        long sum = 0;
        foreach (var arg in _args) sum += _direct.Handle(arg);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "raise, intrinsic only")]
    public long IntrinsicOnly() => RaiseBatch(_intrinsic);

    [Benchmark(OperationsPerInvoke = Batch, Description = "raise, intrinsic + 1 handler")]
    public long OneHandler() => RaiseBatch(_one);

    [Benchmark(OperationsPerInvoke = Batch, Description = "raise, intrinsic + 1 guarded handler")]
    public long OneGuardedHandler() => RaiseBatch(_guarded);

    [Benchmark(OperationsPerInvoke = Batch, Description = "raise, intrinsic + 5 handlers")]
    public long FiveHandlers() => RaiseBatch(_five);

    [Benchmark(OperationsPerInvoke = Batch, Description = "raise, intrinsic + 10 handlers")]
    public long TenHandlers() => RaiseBatch(_ten);

    [Benchmark(OperationsPerInvoke = Batch, Description = "raise, intrinsic + 50 handlers")]
    public long FiftyHandlers() => RaiseBatch(_fifty);

    [Benchmark(OperationsPerInvoke = Batch, Description = "raise, 1,000 handlers on Number == k")]
    public long ThousandIndexed() => RaiseBatch(_indexed1000);

    private long RaiseBatch(Event<TrapArg, long> ev)
    {
        long sum = 0;
        foreach (var arg in _args) sum += ev.Raise(arg);
        return sum;
    }

    [Benchmark(Description = "install + uninstall, 10,000 keyed handlers")]
    public bool InstallIndexed() => _d.Install(_kernel, _indexed10k, a => 0, _newKey).Uninstall();

    [Benchmark(Description = "install + raise + uninstall, 10,000 keyed")]
    public bool InstallRaiseIndexed()
    {
        var b = _d.Install(_kernel, _indexed10k, a => 0, _newKey);
        _indexed10k.Raise(new TrapArg(1_000_000, 0)); // recompiles the new key's bucket only
        return b.Uninstall();
    }

    [Benchmark(Description = "install + uninstall, 10,000 unguarded")]
    public bool InstallUnguarded() => _d.Install(_kernel, _unguarded10k, a => 0).Uninstall();
}
