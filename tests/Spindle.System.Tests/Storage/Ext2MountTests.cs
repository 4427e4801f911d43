using Spindle.System.Tests.Boot;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Storage;

/// <summary>
/// `spindle run --disk IMAGE,ro --mount /dev/vda:/mnt`: an image mke2fs made from a host folder is mounted through
/// the ext2 extension (compiled by the trusted compiler) and read by the userland's own cat and ls, cross-compiled
/// for riscv64: the bytes are the host's. A disk ext2 does not support is refused at boot naming the feature.
/// </summary>
public sealed class Ext2MountTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spindle-ext2-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Image(string features, Action<string> fill)
    {
        string tree = Path.Combine(_dir, "tree"), image = Path.Combine(_dir, "disk.img");
        Directory.CreateDirectory(tree);
        fill(tree);
        var r = ProcessRunner.Run(Tools.Require("mke2fs", "e2fsprogs"), ["-q", "-F", "-t", .. features.Split(' '), "-b", "1024", "-d", tree, image, "8M"], [],
            ProcessRunner.FixedEnvironment, TimeSpan.FromMinutes(1));
        Assert.True(r.ExitCode == 0, r.Describe("mke2fs"));
        return image;
    }

    private static RunResult Run(string image, string program, params string[] args) =>
        SpindleRunner.RunCli(["run", "--root", BootRoot.Riscv, "--disk", image + ",ro", "--mount", "/dev/vda:/mnt",
            Path.Combine(BootRoot.Riscv, "bin", program), .. args], timeout: TimeSpan.FromMinutes(3));

    [Fact]
    public void CatAndLsOnSpindleReadTheImageAsTheHostWroteIt()
    {
        var random = new Random(9);
        byte[] blob = new byte[400_000], small = "a small text file\n"u8.ToArray();
        random.NextBytes(blob);
        string image = Image("ext2", tree =>
        {
            Directory.CreateDirectory(Path.Combine(tree, "sub"));
            File.WriteAllBytes(Path.Combine(tree, "small.txt"), small);
            File.WriteAllBytes(Path.Combine(tree, "sub", "blob"), blob);
            for (int i = 0; i < 50; i++) File.WriteAllText(Path.Combine(tree, "sub", $"n{i:D2}"), "");
            File.CreateSymbolicLink(Path.Combine(tree, "link"), "sub/blob");
        });
        var cat = Run(image, "cat", "/mnt/small.txt", "/mnt/sub/blob", "/mnt/link");
        Assert.True(cat.ExitCode == 0, cat.Describe("spindle cat"));
        Assert.True(cat.Stdout.AsSpan().SequenceEqual([.. small, .. blob, .. blob]), $"cat gave {cat.Stdout.Length} bytes");

        var ls = Run(image, "ls", "/mnt/sub");
        Assert.True(ls.ExitCode == 0, ls.Describe("spindle ls"));
        Assert.Equal(["blob", .. Enumerable.Range(0, 50).Select(i => $"n{i:D2}")], ls.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AnUnsupportedFeatureRefusesTheBootNamingIt()
    {
        string image = Image("ext4", tree => File.WriteAllText(Path.Combine(tree, "f"), "x"));
        var r = Run(image, "cat", "/mnt/f");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unsupported feature: extents", r.Stderr);
        Assert.Contains("/dev/vda", r.Stderr);
    }
}
