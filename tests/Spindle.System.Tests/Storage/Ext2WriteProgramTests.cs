using System.Diagnostics;
using Spindle.System.Tests.Boot;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Storage;

/// <summary>
/// ext2 written by a RISC-V program on Spindle (user/tests/storage/fs_workload.c, on `spindle run --disk IMAGE
/// --mount /dev/vda:/mnt`), checked by e2fsprogs. The full workload leaves an image <c>e2fsck -fn</c> finds clean
/// and whose files <c>debugfs rdump</c> reads back as the program wrote them. Crash consistency: the crash workload
/// (write, fsync, print, with unsynced noise between) is killed with SIGKILL after a seeded number of its lines;
/// <c>e2fsck -fy</c> repairs the image to one <c>e2fsck -fn</c> finds clean, and every file whose fsync returned
/// before the kill holds its bytes.
/// </summary>
public sealed class Ext2WriteProgramTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spindle-ext2w-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Program => CrossCompiler.Compile(Path.Combine(Repo.UserTests, "storage", "fs_workload.c"));

    // File n's bytes, as fs_workload.c makes them.
    private static byte[] Content(int n)
    {
        var b = new byte[500 + (long)n * 7919 % 40000];
        for (int j = 0; j < b.Length; j++) b[j] = (byte)(n * 7 + j * 13);
        return b;
    }

    private string EmptyImage()
    {
        string image = Path.Combine(_dir, "disk.img");
        File.Delete(image);
        Tool("mke2fs", 0, "-q", "-F", "-t", "ext2", "-b", "1024", image, "48M");
        return image;
    }

    // Runs an e2fsprogs tool; its exit code must be one of `ok`.
    private static RunResult Tool(string tool, int ok, params string[] args) => Tool(tool, [ok], args);

    private static RunResult Tool(string tool, int[] ok, params string[] args)
    {
        var r = ProcessRunner.Run(Tools.Require(tool, "e2fsprogs"), args, [], ProcessRunner.FixedEnvironment, TimeSpan.FromMinutes(2));
        Assert.True(ok.Contains(r.ExitCode), r.Describe(tool));
        return r;
    }

    private string Dump(string image)
    {
        string dump = Path.Combine(_dir, "dump");
        if (Directory.Exists(dump)) Directory.Delete(dump, recursive: true);
        Directory.CreateDirectory(dump);
        Tool("debugfs", 0, "-R", "rdump / " + dump, image);
        return dump;
    }

    private static string[] Command(string image, string mode) =>
        ["run", "--root", BootRoot.Riscv, "--disk", image, "--mount", "/dev/vda:/mnt", Program, "/mnt", mode];

    [Fact]
    public void AProgramsWorkloadLeavesAnImageE2fsckFindsCleanAndDebugfsReadsBack()
    {
        string image = EmptyImage();
        var run = SpindleRunner.RunCli(Command(image, "full"), timeout: TimeSpan.FromMinutes(4));
        Assert.True(run.ExitCode == 0 && run.StdoutText == "done\n", run.Describe("fs_workload full"));
        Tool("e2fsck", 0, "-fn", image);
        string d = Dump(image);
        Assert.Equal([.. Content(1), .. "appended\n"u8.ToArray()], File.ReadAllBytes(Path.Combine(d, "f1")));
        Assert.Equal(Content(2), File.ReadAllBytes(Path.Combine(d, "f2")));
        Assert.Equal(Content(2), File.ReadAllBytes(Path.Combine(d, "other", "hard")));
        Assert.Equal(Content(3), File.ReadAllBytes(Path.Combine(d, "other", "moved")));
        Assert.Equal(Content(5), File.ReadAllBytes(Path.Combine(d, "t")));                    // renamed over the truncated t
        Assert.True(Directory.Exists(Path.Combine(d, "other", "sub")) && !Directory.Exists(Path.Combine(d, "dir", "sub")));
        Assert.Equal("f2", new FileInfo(Path.Combine(d, "fast")).LinkTarget);
        Assert.Equal(new string('L', 299), new FileInfo(Path.Combine(d, "slow")).LinkTarget);
        foreach (var gone in new[] { "gone", "unlinked", "victim", "dir/f3" }) Assert.False(Path.Exists(Path.Combine(d, gone)), gone);
        var sparse = File.ReadAllBytes(Path.Combine(d, "sparse"));
        Assert.Equal((20L << 20) + 3, sparse.Length);
        Assert.Equal("start"u8.ToArray(), sparse[..5]);
        Assert.Equal("end"u8.ToArray(), sparse[^3..]);
        Assert.True(sparse.AsSpan(5, (20 << 20) - 5).IndexOfAnyExcept((byte)0) < 0, "the hole reads as zeros");
        var many = Directory.GetFiles(Path.Combine(d, "many")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 200).Where(i => i % 4 != 0).Select(i => $"n{i:D3}").ToList(), many);
        for (int i = 1; i < 200; i += 4) Assert.Equal(Content(i), File.ReadAllBytes(Path.Combine(d, "many", $"n{i:D3}")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void KilledMidWorkloadTheImageIsRepairedAndEveryFsyncedFileIsThere(int seed)
    {
        string image = EmptyImage();
        int killAfter = new Random(seed).Next(1, 30);
        var synced = new List<(string Name, int Length)>();
        var psi = new ProcessStartInfo(SpindleRunner.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[SpindleRunner.Dll, .. Command(image, "crash")]) psi.ArgumentList.Add(a);
        foreach (var (k, v) in ProcessRunner.FixedEnvironment) psi.Environment[k] = v;
        using (var p = Process.Start(psi)!)
        {
            var errors = p.StandardError.ReadToEndAsync();
            try
            {
                while (synced.Count < killAfter)
                {
                    string? line = p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(4)).Result;
                    Assert.True(line != null, "fs_workload ended early: " + errors.Result);
                    var words = line!.Split(' ');
                    Assert.Equal("synced", words[0]);
                    synced.Add((words[1], int.Parse(words[2])));
                }
            }
            finally
            {
                p.Kill(entireProcessTree: true);                                                  // SIGKILL
                p.WaitForExit();
            }
        }
        Tool("e2fsck", [0, 1], "-fy", image);
        Tool("e2fsck", 0, "-fn", image);
        string d = Dump(image);
        foreach (var (name, length) in synced)
        {
            string path = Path.Combine(d, name);
            Assert.True(File.Exists(path), $"seed {seed}: {name} was fsynced before the kill and is gone");
            Assert.Equal(Content(int.Parse(name[1..])), File.ReadAllBytes(path));
            Assert.Equal(length, new FileInfo(path).Length);
        }
    }
}
