using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Bench.Suites;

/// <summary>
/// The dispatcher (OSDI 1996 figures): raising an event with its intrinsic handler only, with 1, 5, 10 and
/// 50 handlers, with one guarded handler, with 1,000 handlers guarded on Number == k (indexed), and installing
/// (plus uninstalling, to keep the size fixed) one handler on an event that already has 10,000 handlers.
/// Measured in process with the Stopwatch loop; no host peer.
/// </summary>
public sealed class DispatcherSuite : BenchSuite
{
    private readonly IHandlerOwner _kernel = new KernelOwner("bench");
    private readonly KernelDispatcher _d = new();

    public override string Name => "dispatcher";
    public override string Title => "Event dispatch (per raise or install)";

    public override IReadOnlyList<BenchRow> Run(BenchSession session)
    {
        var rows = new List<BenchRow>();
        void Raise(string row, Event<TrapArg, long> ev)
        {
            session.Progress($"{row}");
            rows.Add(InProcess(row, Measure.MicrosPerOp(n => RaiseBatch(ev, n), session.Settings)));
        }
        Raise("raise-intrinsic", WithHandlers(0));
        Raise("raise-1", WithHandlers(1));
        var guarded = WithHandlers(0);
        _d.Install(_kernel, guarded, a => a.A0 * 2, a => a.A0 > 0 && a.Number != 3);
        Raise("raise-1-guarded", guarded);
        Raise("raise-5", WithHandlers(5));
        Raise("raise-10", WithHandlers(10));
        Raise("raise-50", WithHandlers(50));
        Raise("raise-1000-indexed-guards", WithKeyedHandlers(1000));

        session.Progress("install-1 (event with 10,000 handlers)");
        var big = WithHandlers(10_000);
        big.Raise(default);
        rows.Add(InProcess("install-1", Measure.MicrosPerOp(n => InstallBatch(big, n), session.Settings),
            note: "install-1: an install plus its uninstall, on an event holding 10,000 unguarded handlers"));
        return rows;
    }

    // Raises n times with call numbers spread over the index buckets; returns the sum of results. The loop
    // besides the raise is the direct-call baseline's (ProtectedSuite.DirectBatch), so their ratio is dispatch only.
    private static long RaiseBatch(Event<TrapArg, long> ev, int n)
    {
        long sum = 0, key = 500;
        for (int i = 0; i < n; i++)
        {
            key = DispatchFixtures.NextKey(key);
            sum += ev.Raise(new TrapArg(key, i));
        }
        return sum;
    }

    // Installs and uninstalls one handler n times.
    private long InstallBatch(Event<TrapArg, long> ev, int n)
    {
        long ok = 0;
        for (int i = 0; i < n; i++) ok += _d.Install(_kernel, ev, a => 0).Uninstall() ? 1 : 0;
        return ok;
    }

    private Event<TrapArg, long> WithHandlers(int n) => DispatchFixtures.WithHandlers(_d, _kernel, n);

    private Event<TrapArg, long> WithKeyedHandlers(int n) => DispatchFixtures.WithKeyedHandlers(_d, _kernel, n);
}
