using System.Diagnostics;
using System.Text;

namespace Spindle.Kernel.Tests.Block;

/// <summary>
/// ext2 images made by e2fsprogs' mke2fs from a host folder (<c>mke2fs -t ext2 -d DIR</c>), the peer these tests hold
/// Spindle's ext2 against. The folder is made here, deterministically: many small files, a directory of hundreds of
/// names, nested directories, sparse files reaching past the double-indirect limit, fast and slow symbolic links,
/// hard links, an empty file and modes.
/// </summary>
internal static class Ext2Images
{
    /// <summary>Runs a tool; throws with its output if it fails.</summary>
    public static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)}: exit {p.ExitCode}\n{error}");
        return output.Result + error;
    }

    /// <summary>Fills <paramref name="root"/> with the test tree; <paramref name="largeOffset"/> is where the big sparse file's last bytes go.</summary>
    public static void MakeTree(string root, long largeOffset)
    {
        Directory.CreateDirectory(root);
        var random = new Random(12);
        byte[] Bytes(int n) { var b = new byte[n]; random.NextBytes(b); return b; }
        File.WriteAllBytes(Path.Combine(root, "empty"), []);
        File.WriteAllText(Path.Combine(root, "hello.txt"), "hello, ext2\n");
        File.WriteAllBytes(Path.Combine(root, "medium.bin"), Bytes(300_000));           // through the single and double indirect blocks at 1 KiB
        string many = Path.Combine(root, "many");
        Directory.CreateDirectory(many);
        for (int i = 0; i < 400; i++) File.WriteAllBytes(Path.Combine(many, $"file-{i:D4}-{new string('x', i % 40)}"), Bytes(i * 37 % 3000));
        string deep = root;
        for (int i = 0; i < 6; i++) Directory.CreateDirectory(deep = Path.Combine(deep, "d" + i));
        File.WriteAllText(Path.Combine(deep, "bottom"), "at the bottom\n");
        using (var sparse = File.Create(Path.Combine(root, "sparse")))
        {
            sparse.Write(Bytes(5000));
            sparse.Position = 3_000_000;
            sparse.Write(Bytes(7000));
            sparse.Position = largeOffset;
            sparse.Write(Bytes(9000));
        }
        File.CreateSymbolicLink(Path.Combine(root, "fast-link"), "hello.txt");
        File.CreateSymbolicLink(Path.Combine(root, "slow-link"), string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 9)));
        File.CreateSymbolicLink(Path.Combine(root, "deep-link"), "d0/d1/d2/d3/d4/d5/bottom");
        Run("ln", Path.Combine(root, "hello.txt"), Path.Combine(root, "d0", "hello-again"));
        File.SetUnixFileMode(Path.Combine(root, "medium.bin"), UnixFileMode.UserRead | UnixFileMode.GroupRead);
        File.WriteAllBytes(Path.Combine(root, "name with spaces and ünïcödé"), Encoding.UTF8.GetBytes("utf-8 name\n"));
    }

    /// <summary>Makes an ext2 image of <paramref name="root"/>: <paramref name="blockSize"/>-byte blocks, <paramref name="megabytes"/> MiB.</summary>
    public static void Make(string image, string root, int blockSize, int megabytes, params string[] extra)
    {
        File.Delete(image);
        Run("mke2fs", ["-q", "-F", "-t", "ext2", "-b", blockSize.ToString(), "-d", root, .. extra, image, megabytes + "M"]);
    }
}

/// <summary>A test class's own temporary folder (deleted with it) and the bytes of a name.</summary>
public abstract class ScratchFolder : IDisposable
{
    /// <summary>The folder, made for this test.</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory("spindle-ext2-").FullName;

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>A name's UTF-8 bytes.</summary>
    protected static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
}

[CollectionDefinition("ext2 images", DisableParallelization = true)]
public sealed class Ext2ImagesCollection;
