namespace Spindle.Bench.Suites;

/// <summary>
/// Appel and Li's virtual-memory benchmarks. SPIN's way: a user program whose protection changes, fault handling and
/// dirty-bit queries are an extension it loaded (appel_spin.c with extensions/Examples/PageProtect.cs, whose handler
/// on Translation.ProtectionFault is guarded on the program's context and resolves the fault in the kernel); and the
/// Unix way on Spindle (appel_signal.c: mprotect plus a SIGSEGV handler, timed inside the guest with clock_gettime);
/// the host peer is the same appel_signal.c compiled natively.
/// </summary>
public sealed class VmSuite : BenchSuite
{
    private static readonly string[] Tests = ["vm-dirty", "vm-fault", "vm-trap", "vm-prot1", "vm-prot100", "vm-unprot100", "vm-appel1", "vm-appel2"];

    public override string Name => "vm";
    public override string Title => "Virtual memory, Appel and Li (per operation; Appel2 per page)";

    public override IReadOnlyList<BenchRow> Run(BenchSession session)
    {
        string ops = (2_000 * session.Settings.GuestScale).ToString(), reps = session.Settings.Repetitions.ToString();
        session.Progress("host appel_signal peer");
        var host = session.Programs.RunHost("appel_signal.c", ops, reps, "-signal");
        session.Progress("appel_signal on Spindle");
        var guest = session.Programs.RunSpindle("appel_signal.c", ops, reps, "-signal");

        session.Progress("appel_spin on Spindle (extension PageProtect)");
        var spin = session.Programs.RunSpindleLoading("appel_spin.c", "PageProtect.cs", ops, reps);

        var rows = new List<BenchRow>();
        const string ByExtension = "the program loads extensions/Examples/PageProtect.cs (syscall 1000): protection changes, "
            + "dirty bits and fault resolution go through the Translation service in the kernel (its ProtectionFault handler is "
            + "guarded on the program's context); vm-trap resolves by unprotecting (a resolved fault re-runs the instruction, "
            + "so it cannot be skipped as the signal version's longjmp does); host: mprotect and SIGSEGV";
        foreach (string t in Tests)
            rows.Add(ByExtensionRow(t, spin, host.Micros(t + "-signal"), ByExtension));   // appel_signal reports no vm-dirty
        foreach (string t in Tests)
            rows.Add(t == "vm-dirty"
                ? NotAvailable("vm-dirty-signal", null, "Unix has no call that reports whether a page is dirty (the paper has no OSF/1 or Mach figure)")
                : FromPrograms(t + "-signal", guest, host));
        return rows;
    }

    // A SPIN-way row from appel_spin.c with the host's signal-version figure; measured rows carry the note on how.
    private BenchRow ByExtensionRow(string row, ProgramOutput spin, double? hostUs, string how)
    {
        var r = FromPrograms(row, spin, null) with { HostUs = hostUs };
        return r.Note == null ? r with { Note = how } : r;
    }
}
