using System.Runtime.CompilerServices;
using Spindle.Kernel.Compiler;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Domain;
using Spindle.Sdk.Dispatcher;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Bench.Suites;

/// <summary>The baseline's interface: a kernel service called directly.</summary>
public interface INullService
{
    /// <summary>Returns its argument plus one.</summary>
    long Call(long x);
}

/// <summary>
/// Protected communication: a plain C# interface call (baseline); an extension, compiled by the trusted
/// compiler and linked into a domain, calling a kernel service through the capability (a typed reference)
/// it imported; a user program's null system call (null_syscall.c, timed in the guest with clock_gettime;
/// host: the same program natively, getppid); and a call from one process to another and back: SPIN's way on
/// Spindle (xas_call.c with the CrossCall extension's ports) against a pipe round trip on the host (pipe_rtt.c),
/// and the Unix way on Spindle too (pipe_rtt.c, row cross-address-space-call-pipes).
/// </summary>
public sealed class ProtectedSuite : BenchSuite
{
    // The extension: its handler for the "bench" event calls the imported kernel service n times.
    private const string ExtensionSource = """
        using System;
        using System.Collections.Generic;
        using Spindle.Sdk;
        using Spindle.Sdk.Dispatcher;
        public sealed class Entry : IExtension
        {
            private static Func<long, long> s_service;
            public void Initialize(IExtensionContext c)
            {
                s_service = c.Import<IReadOnlyList<Func<long, long>>>()[0];
                c.Dispatcher.Install(c.Import<IReadOnlyList<Event<long, long>>>()[0], Loop);
            }
            public static long Loop(long n)
            {
                Func<long, long> service = s_service;
                long sum = 0;
                for (long i = 0; i < n; i++) sum += service(i);
                return sum;
            }
        }
        """;

    public override string Name => "protected";
    public override string Title => "Protected communication (per call)";

    public override IReadOnlyList<BenchRow> Run(BenchSession session)
    {
        var s = session.Settings;
        session.Progress("direct-call");
        INullService direct = new NullService();
        var rows = new List<BenchRow> { InProcess("direct-call", Measure.MicrosPerOp(n => DirectBatch(direct, n), s)) };

        session.Progress("protected-in-kernel-call (compiling the extension)");
        rows.Add(InKernelCall(session));

        string count = (100_000 * s.GuestScale).ToString(), reps = s.Repetitions.ToString();
        session.Progress("system-call");
        rows.Add(FromPrograms("system-call", session.Programs.RunSpindle("null_syscall.c", count, reps),
            session.Programs.RunHost("null_syscall.c", count, reps)));

        string trips = (10_000 * s.GuestScale).ToString();
        session.Progress("cross-address-space-call (host pipe_rtt peer)");
        var hostPipes = session.Programs.RunHost("pipe_rtt.c", trips, reps);
        session.Progress("cross-address-space-call (xas_call on Spindle, extension CrossCall)");
        rows.Add(CrossCallRow(session.Programs.RunSpindleLoading("xas_call.c", "CrossCall.cs", trips, reps), hostPipes));
        session.Progress("cross-address-space-call-pipes");
        rows.Add(PipesRow(session.Programs.RunSpindle("pipe_rtt.c", trips, reps), hostPipes));
        return rows;
    }

    // SPIN's way: xas_call.c's kernel-mediated call through the port extension; host: a pipe round trip.
    private BenchRow CrossCallRow(ProgramOutput spin, ProgramOutput host)
    {
        const string How = "Spindle: xas_call.c loads extensions/Examples/CrossCall.cs (syscall 1000); the client's call "
            + "(syscall 1022) puts its arguments in the waiting server process's registers and wakes it, the server's "
            + "reply_wait (1024) puts the reply in the client's a0, wakes it and waits again: two system calls and two "
            + "strand switches per round trip; host: pipe_rtt.c, one byte each way over a pair of pipes";
        var row = FromPrograms("cross-address-space-call", spin, host);
        return row.Note == null ? row with { Note = How } : row;
    }

    // The Unix way on Spindle: pipe_rtt.c (it reports its row as cross-address-space-call) on both sides.
    private BenchRow PipesRow(ProgramOutput spindle, ProgramOutput host)
    {
        const string Row = "cross-address-space-call-pipes", Reported = "cross-address-space-call";
        double? us = spindle.Micros(Reported);
        string note = us == null ? $"Spindle: {spindle.Failure ?? "no result reported"}"
            : "pipe_rtt.c on Spindle and on the host: a one-byte round trip between two processes over a pair of pipes (Linux personality)";
        return new BenchRow(Name, Row, us, host.Micros(Reported), PaperFigures.For(Reported), note);
    }

    // Builds, verifies and links the extension, then times its loop of capability calls (one raise per batch).
    private BenchRow InKernelCall(BenchSession session)
    {
        const string Row = "protected-in-kernel-call";
        var compiler = new ExtensionCompiler(SpindleHome.Default);
        var build = compiler.Build(new ExtensionSource("bench-incall", [("Entry.cs", ExtensionSource)]));
        if (!build.Succeeded)
            return NotAvailable(Row, null, "the trusted compiler refused the extension: " + string.Join("; ", build.Violations));
        var dispatcher = new KernelDispatcher();
        var linker = new Linker(dispatcher, image => ExtensionVerifier.Verify(image, compiler.Key, ExtensionPolicy.Default)
            .Select(v => v.ToString()).ToList());
        var kernel = linker.CreateKernelDomain("bench-kernel");
        var bench = dispatcher.Declare(KernelOwner.Core, "bench", (long _) => 0L, out _);
        // Only interfaces are exported: the capabilities travel as one-element lists.
        kernel.Export<IReadOnlyList<Func<long, long>>>(new Func<long, long>[] { NullService.Serve });
        kernel.Export<IReadOnlyList<Event<long, long>>>(new[] { bench });
        ProtectionDomain domain;
        try { domain = linker.Load("bench-incall", build.Assembly!, new DomainOptions { Fuel = long.MaxValue / 4 }, kernel); }
        catch (DomainException e) { return NotAvailable(Row, null, "the extension did not link: " + e.Message); }
        try
        {
            session.Progress(Row);
            return InProcess(Row, Measure.MicrosPerOp(n => bench.Raise(n), session.Settings));
        }
        finally { linker.Destroy(domain); }
    }

    // n direct interface calls; returns their sum.
    private static long DirectBatch(INullService service, int n)
    {
        long sum = 0, key = 500;
        for (int i = 0; i < n; i++)
        {
            key = DispatchFixtures.NextKey(key); // the dispatcher rows' loop work, so raise/direct ratios are dispatch only
            sum += service.Call(key + i);
        }
        return sum;
    }

    /// <summary>The kernel's null service (not inlined: a procedure call, as the extension's is).</summary>
    private sealed class NullService : INullService
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public long Call(long x) => x + 1;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static long Serve(long x) => x + 1;
    }
}
