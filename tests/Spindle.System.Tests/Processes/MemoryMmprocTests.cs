using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Processes;

/// <summary>Private file mappings under `spindle run`, compared byte for byte with qemu-riscv64.</summary>
public sealed class MemoryMmprocTests
{
    private static string Program(string name) =>
        CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Processes", "mmprograms", name + ".c"), []);

    [Fact]
    public void PrivateFileMappingMatchesQemu()
    {
        string exe = Program("mmap_file");
        var q = QemuRunner.Instance.Run(exe, [], timeout: TimeSpan.FromSeconds(60));
        Assert.False(q.TimedOut, q.Describe("qemu"));
        Assert.True(q.ExitCode == 0, q.Describe("qemu"));
        Assert.Contains("offset mapping reads: second page of the file", q.StdoutText);
        Assert.Contains("write-only fd: Permission denied", q.StdoutText);
        foreach (SpindleRunner runner in SpindleRunner.BothPasses)     // the default engine, then the compiler forced
        {
            var s = runner.Run(exe, [], timeout: TimeSpan.FromSeconds(60));
            Assert.False(s.TimedOut, s.Describe("spindle"));
            Assert.Equal(q.StdoutText, s.StdoutText);
            Assert.True(s.ExitCode == 0, s.Describe("spindle"));
        }
    }

    [Fact]
    public void MadviseOverAHugeSparseRangeIsLinuxLike()
    {
        var s = SpindleRunner.Instance.Run(Program("madvise_ranges"), [], timeout: TimeSpan.FromSeconds(60));
        Assert.False(s.TimedOut, s.Describe("spindle"));
        Assert.Equal(
            "sparse dontneed: -1 Cannot allocate memory, lo=0 hi=0\nsparse willneed: -1 Cannot allocate memory\n" +
            "mapped sequential: 0\nunknown advice: -1 Invalid argument\n", s.StdoutText);
        Assert.True(s.ExitCode == 0, s.Describe("spindle"));
    }
}
