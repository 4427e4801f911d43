namespace Spindle.Bench.Suites;

/// <summary>
/// Appel and Li's virtual-memory benchmarks. SPIN's way (a user program whose fault handling is an extension it
/// loaded: appel_spin.c with extensions/Examples/PageProtect.cs for the protection calls; the fault rows, which
/// need Translation.ProtectionFault, are n/a until extensions are granted the Translation service and a strand's
/// context, see the note) and the Unix way on Spindle (appel_signal.c: mprotect plus a
/// SIGSEGV handler, timed inside the guest with clock_gettime); the host peer is the same appel_signal.c compiled natively.
/// </summary>
public sealed class VmSuite : BenchSuite
{
    // The SPIN-way rows an extension can already do: protection changes through the calling strand's memory (appel_spin.c).
    private static readonly string[] ProtectionCalls = ["vm-prot1", "vm-prot100", "vm-unprot100"];
    private static readonly string[] Tests = ["vm-dirty", "vm-fault", "vm-trap", "vm-prot1", "vm-prot100", "vm-unprot100", "vm-appel1", "vm-appel2"];

    public override string Name => "vm";
    public override string Title => "Virtual memory, Appel and Li (per operation; Appel2 per page)";

    public override IReadOnlyList<BenchRow> Run(BenchSession session)
    {
        string ops = (500 * session.Settings.GuestScale).ToString(), reps = session.Settings.Repetitions.ToString();
        session.Progress("host appel_signal peer");
        var host = session.Programs.RunHost("appel_signal.c", ops, reps, "-signal");
        session.Progress("appel_signal on Spindle");
        var guest = session.Programs.RunSpindle("appel_signal.c", ops, reps, "-signal");

        session.Progress("appel_spin on Spindle (extension PageProtect)");
        var spin = session.Programs.RunSpindleLoading("appel_spin.c", "PageProtect.cs", ops, reps);

        var rows = new List<BenchRow>();
        const string ByExtension = "the program loads extensions/Examples/PageProtect.cs (syscall 1000); its call 1010 changes the rights "
            + "in the kernel through the calling strand's memory capability (IUserMemory.Protect), not the Translation service (see the other note); host: mprotect";
        const string SpinWay = "an extension cannot reach the Translation service: ExtensionManager.ForKernel exports only "
            + "ITrapEvents and IStrandService (Import<ITranslationService> throws ServiceNotGrantedException), so no handler on "
            + "Translation.ProtectionFault, no ChangeProtection, no ExamineMapping; and IUserStrand has no TranslationContext, so "
            + "a handler cannot be guarded to the loading program's address space (ITrapEvents.Fault is no substitute: the "
            + "Linux personality's fault handler queues SIGSEGV whatever other handlers return)";
        foreach (string t in Tests)
            rows.Add(ProtectionCalls.Contains(t)
                ? ByExtensionRow(t, spin, host.Micros(t + "-signal"), ByExtension)
                : NotAvailable(t, host.Micros(t + "-signal"), SpinWay));
        foreach (string t in Tests)
            rows.Add(t == "vm-dirty"
                ? NotAvailable("vm-dirty-signal", null, "Unix has no call that reports whether a page is dirty (the paper has no OSF/1 or Mach figure)")
                : FromPrograms(t + "-signal", guest, host));
        return rows;
    }

    // A SPIN-way row from appel_spin.c with the host's mprotect figure; measured rows carry the note on how.
    private BenchRow ByExtensionRow(string row, ProgramOutput spin, double? hostUs, string how)
    {
        var r = FromPrograms(row, spin, null) with { HostUs = hostUs };
        return r.Note == null ? r with { Note = how } : r;
    }
}
