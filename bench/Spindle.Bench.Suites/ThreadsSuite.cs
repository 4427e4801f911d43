using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Strand;
using Spindle.Sdk.Strand;

namespace Spindle.Bench.Suites;

/// <summary>
/// Thread management: kernel strands (in process: fork-join = spawn a strand and join it; ping-pong = a round
/// trip between two strands through wait queues), POSIX threads in a user program on Spindle (layered), and a
/// user-level thread package integrated through an extension (C-Threads over extensions/Examples/CThreads.cs). The host peer of every row is pthreads.c run
/// natively: pthread create+join, and two threads alternating through a mutex and condition variable.
/// </summary>
public sealed class ThreadsSuite : BenchSuite
{
    private static readonly KernelBody s_empty = static self => Task.CompletedTask;

    public override string Name => "threads";
    public override string Title => "Thread management (per fork-join or round trip)";

    public override IReadOnlyList<BenchRow> Run(BenchSession session)
    {
        string count = (1_000 * session.Settings.GuestScale).ToString(), reps = session.Settings.Repetitions.ToString();
        session.Progress("host pthreads peer");
        var host = session.Programs.RunHost("pthreads.c", count, reps);
        double? hostForkJoin = host.Micros("fork-join"), hostPingPong = host.Micros("ping-pong");

        var cpu = new Scheduler(new Spindle.Kernel.Dispatcher.Dispatcher());
        var svc = cpu.For(new KernelOwner("bench"));
        session.Progress("fork-join-kernel");
        var rows = new List<BenchRow> { InProcess("fork-join-kernel", Measure.MicrosPerOp(n => ForkJoin(cpu, svc, n), session.Settings), hostForkJoin) };
        session.Progress("ping-pong-kernel");
        rows.Add(InProcess("ping-pong-kernel", Measure.MicrosPerOp(n => PingPong(cpu, svc, n), session.Settings), hostPingPong));

        session.Progress("user-layered (pthreads on Spindle)");
        var guest = session.Programs.RunSpindle("pthreads.c", count, reps, "-user-layered");
        rows.Add(Layered("fork-join-user-layered", guest, hostForkJoin));
        rows.Add(Layered("ping-pong-user-layered", guest, hostPingPong));

        session.Progress("user-integrated (C-Threads through extension CThreads)");
        var integrated = session.Programs.RunSpindleLoading("cthreads.c", "CThreads.cs", count, reps, "-user-integrated");
        const string Integrated = "cthreads.c with user/lib's C-Threads, which loads extensions/Examples/CThreads.cs (syscall 1000): "
            + "package threads are kernel strands sharing the address space, forked, joined and blocked by the extension; "
            + "mutexes and conditions are user-space atomics that enter the kernel (wait queues keyed by user address) only on contention";
        rows.Add(Explained(Layered("fork-join-user-integrated", integrated, hostForkJoin), Integrated));
        rows.Add(Explained(Layered("ping-pong-user-integrated", integrated, hostPingPong), Integrated));
        return rows;
    }

    // A user-program row: the guest's figure, with the host figure of the same operation.
    private BenchRow Layered(string row, ProgramOutput guest, double? hostUs) => FromPrograms(row, guest, null) with { HostUs = hostUs };

    // The row with `how` as its note, unless it carries the program's failure.
    private static BenchRow Explained(BenchRow row, string how) => row.Note == null ? row with { Note = how } : row;

    // A parent strand forks and joins n child strands; returns n.
    private static long ForkJoin(Scheduler cpu, IStrandService svc, int n)
    {
        svc.SpawnKernel("parent", 10, async self =>
        {
            for (int i = 0; i < n; i++) await svc.Join(self, svc.SpawnKernel("child", 10, s_empty));
        });
        cpu.RunUntilQuiet();
        return n;
    }

    // Two strands pass control back and forth n times through two wait queues; returns n.
    private static long PingPong(Scheduler cpu, IStrandService svc, int n)
    {
        IWaitQueue ping = svc.CreateWaitQueue("ping"), pong = svc.CreateWaitQueue("pong");
        svc.SpawnKernel("pong", 10, async self =>
        {
            for (int i = 0; i < n; i++) { await ping.Wait(self); pong.WakeOne(); }
        });
        svc.SpawnKernel("ping", 10, async self =>
        {
            for (int i = 0; i < n; i++) { ping.WakeOne(); await pong.Wait(self); }
        });
        cpu.RunUntilQuiet();
        return n;
    }
}
