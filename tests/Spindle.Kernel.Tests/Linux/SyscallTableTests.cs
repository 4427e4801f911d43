using System.Reflection;
using System.Text;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Abi;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Tests.Extensions;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>
/// The Linux system-call table walked as data: each row is named after its Sys constant, numbers are unique,
/// the status and its note agree, unimplemented calls answer -ENOSYS through the personality, the tracer
/// names calls from the table, and docs/SYSCALLS.md is the table written out.
/// </summary>
public class SyscallTableTests
{
    private static readonly SyscallEntry[] Table = LinuxPersonality.SyscallTable;

    private static Dictionary<string, int> SysConstants() =>
        typeof(Sys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);

    [Fact]
    public void EveryRowIsNamedAfterItsNumbersConstant_AndEveryConstantHasARow()
    {
        var constants = SysConstants();
        foreach (var e in Table)
        {
            Assert.False(string.IsNullOrEmpty(e.Name), $"call {e.Number} has no name");
            Assert.True(constants.TryGetValue(e.Name, out int number), $"{e.Name}: no Sys.{e.Name}");
            Assert.True(number == e.Number, $"{e.Name}: the row says {e.Number}, Sys.{e.Name} is {number}");
        }
        Assert.Equal(constants.Keys.Order(), Table.Select(e => e.Name).Order());
    }

    [Fact]
    public void TheTracerNamesEveryErrnoAndEveryLinuxCall()
    {
        for (int e = 1; e <= 133; e++)
            if (e is 41 or 58) Assert.Null(ErrnoNames.Name(e));     // unassigned on Linux
            else Assert.True(System.Text.RegularExpressions.Regex.IsMatch(ErrnoNames.Name(e) ?? "", @"^E(?!\d+$)[A-Z0-9]+$")
                && ErrnoNames.Message(e) is { Length: > 0 }, $"errno {e}");
        var f = new LinuxFixture(trace: true);
        f.Call(Sys.wait4, ulong.MaxValue, 0, 0, 0);
        f.Call(0, 0, 0, 0, 0, 0, 0);
        f.Call(998);
        string trace = f.Console.ErrText;
        Assert.Contains(" = -1 ECHILD (No child processes)\n", trace);
        Assert.Contains("io_setup(0x0, 0x0, 0x0, 0x0, 0x0, 0x0) = -1 ENOSYS (Function not implemented)\n", trace);
        Assert.Contains("syscall_998(", trace);
        Assert.DoesNotMatch(@"-1 E\d+ ", trace);
    }

    [Fact]
    public void EveryRowIsTheRiscv64CallOfItsNumber()
    {
        foreach (var e in Table) Assert.True(SyscallNames.Of(e.Number) == e.Name, $"{e.Name} is {e.Number}, which riscv64 Linux calls {SyscallNames.Of(e.Number) ?? "nothing"}");
        Assert.Null(SyscallNames.Of(38));   // renameat: not a riscv64 call
        Assert.Equal("openat", SyscallNames.Of(56));
        Assert.Null(SyscallNames.Of(-1));
        Assert.Null(SyscallNames.Of(SyscallNames.Count));
    }

    [Fact]
    public void NumbersAreUniqueAndInOrder_AndEachIndexesItsRow()
    {
        Assert.Equal(Table.Length, Table.Select(e => e.Number).Distinct().Count());
        Assert.Equal(Table.Select(e => e.Number).Order(), Table.Select(e => e.Number));
        Assert.All(Table, e => Assert.Same(e, LinuxPersonality.FindSyscall((ulong)e.Number)));
        Assert.All(Table, e => Assert.Same(e.Body, LinuxPersonality.SyscallBodies[e.Number]));
        Assert.Equal(LinuxPersonality.SyscallsByNumber.Length, LinuxPersonality.SyscallBodies.Length);
        Assert.All(Table, e => Assert.True(e.Number < SpindleCalls.First, $"{e.Name} is in Spindle's own range"));
        Assert.Null(LinuxPersonality.FindSyscall(999));
        Assert.Null(LinuxPersonality.FindSyscall(ulong.MaxValue));
    }

    [Fact]
    public void StatusNoteAndBodyAgree_AndArgumentShapesAreTracerLetters()
    {
        foreach (var e in Table)
        {
            switch (e.Status)
            {
                case SyscallStatus.Implemented: Assert.True(e.Body != null && e.Note == "", $"{e.Name}: implemented needs a body and no note"); break;
                case SyscallStatus.Partial: Assert.True(e.Body != null && e.Note != "", $"{e.Name}: partial needs a body and its limits"); break;
                case SyscallStatus.Unimplemented: Assert.True(e.Body == null && e.Note != "", $"{e.Name}: unimplemented needs a reason and no body"); break;
            }
            Assert.True(e.Args.Length <= 6 && e.Args.All(c => "dluxfDswromMpca i".Contains(c) && c != ' '), $"{e.Name}: bad argument shapes '{e.Args}'");
        }
    }

    [Fact]
    public void UnimplementedCallsAnswerEnosysThroughThePersonality()
    {
        var f = new LinuxFixture();
        var lacking = Table.Where(e => e.Status == SyscallStatus.Unimplemented).ToList();
        Assert.NotEmpty(lacking);
        foreach (var e in lacking) Assert.True(-Errno.ENOSYS == f.Call(e.Number, 1, 2, 3, 4, 5, 6), e.Name);
        Assert.Equal(-Errno.ENOSYS, f.Call(Sys.clone3, 0, 0));
        Assert.NotEqual(-Errno.ENOSYS, f.Call(Sys.getppid));
    }

    [Fact]
    public void TheTracerNamesCallsFromTheTable()
    {
        var f = new LinuxFixture(trace: true);
        foreach (var e in Table.Where(e => e.Status == SyscallStatus.Unimplemented)) f.Call(e.Number, 0, 0, 0, 0, 0, 0);
        f.Call(Sys.getppid);
        f.Call(Sys.brk, 0);
        string trace = f.Console.ErrText;
        foreach (var e in Table.Where(e => e.Status == SyscallStatus.Unimplemented))
            Assert.Contains($"\n{e.Name}(", "\n" + trace);
        Assert.Contains("getppid() = 1\n", trace);
        Assert.Matches(@"brk\(NULL\) = 0x[0-9a-f]+\n", trace);     // HexResult
        Assert.Contains("rseq(NULL, 0, 0, 0) = -1 ENOSYS (Function not implemented)\n", trace);
    }

    /// <summary>docs/SYSCALLS.md as the table writes it. Run with SPINDLE_WRITE_DOCS=1 to rewrite the file.</summary>
    [Fact]
    public void TheDocIsTheTableWrittenOut()
    {
        string path = Repo.PathOf("docs", "SYSCALLS.md");
        string want = Render();
        if (Environment.GetEnvironmentVariable("SPINDLE_WRITE_DOCS") == "1") File.WriteAllText(path, want);
        Assert.True(File.Exists(path) && File.ReadAllText(path) == want,
            "docs/SYSCALLS.md does not match the system-call table: run this test with SPINDLE_WRITE_DOCS=1 and commit the file");
    }

    private static string Render()
    {
        var b = new StringBuilder();
        b.Append("# System calls\n\n");
        b.Append("Generated from the Linux personality's table (`extensions/Linux/Syscalls/SyscallTable.cs`) by\n");
        b.Append("`SyscallTableTests.TheDocIsTheTableWrittenOut`, which fails when this file and the table differ\n");
        b.Append("(rewrite it with `SPINDLE_WRITE_DOCS=1 dotnet test tests/Spindle.Kernel.Tests --filter SyscallTableTests`).\n");
        b.Append("Every riscv64 Linux call is listed (`extensions/Linux/Abi/SyscallNames.cs`): implemented, partial (its limits\n");
        b.Append("in the notes), ENOSYS by choice (the reason in the notes), or missing (no row in the table yet: -ENOSYS).\n");
        b.Append("A number riscv64 Linux does not assign answers -ENOSYS, as on Linux.\n\n");
        int done = Table.Count(e => e.Status == SyscallStatus.Implemented), part = Table.Count(e => e.Status == SyscallStatus.Partial);
        int named = Enumerable.Range(0, SyscallNames.Count).Count(n => SyscallNames.Of(n) != null);
        b.Append($"{named} calls: {done} implemented, {part} partial, {Table.Length - done - part} answering -ENOSYS by choice, {named - Table.Length} missing.\n\n");
        b.Append("| number | name | status | arguments | notes |\n|---:|---|---|---|---|\n");
        for (int n = 0; n < SyscallNames.Count; n++)
        {
            if (LinuxPersonality.FindSyscall((ulong)n) is not { } e)
            {
                if (SyscallNames.Of(n) is { } name) b.Append($"| {n} | `{name}` | missing | | |\n");
                continue;
            }
            string status = e.Status switch
            {
                SyscallStatus.Implemented => "implemented",
                SyscallStatus.Partial => "partial",
                _ => "ENOSYS",
            };
            b.Append($"| {e.Number} | `{e.Name}` | {status} | `{e.Args}`{(e.HexResult ? " (result in hex)" : "")} | {e.Note} |\n");
        }
        b.Append("\nArgument letters (what the tracer prints): d int, l long, u unsigned, x pointer, f descriptor,\n");
        b.Append("D directory descriptor, s path, w buffer written, r buffer read, o open flags, m octal mode,\n");
        b.Append("p PROT_*, M MAP_*, c clock id, a AT_* flags, i ioctl request.\n\n");
        b.Append("## Spindle's own calls\n\n");
        b.Append($"Numbers from {SpindleCalls.First} up are not Linux's: each belongs to whoever claimed it in the kernel's registry\n");
        b.Append("(`Spindle.Kernel/Trap/SyscallClaims.cs`, imported by extensions as `ISyscallClaims`). A second claim of a\n");
        b.Append("taken number is refused with a message naming the holder; a domain's claims are released when it is destroyed.\n");
        b.Append("The kernel's own, as a kernel with program extensions claims them:\n\n");
        b.Append("| number | name | holder |\n|---:|---|---|\n");
        using var home = new Compiler.TestHome();
        using var kernel = new KernelRoot(new KernelOptions(MemoryBytes: 16UL << 20));
        _ = new ProgramExtensions(kernel, ExtensionManager.ForKernel(kernel, home.Path));
        foreach (var (number, owner, name) in kernel.SyscallClaims.Snapshot()) b.Append($"| {number} | `{name}` | {owner} |\n");
        return b.ToString();
    }
}
