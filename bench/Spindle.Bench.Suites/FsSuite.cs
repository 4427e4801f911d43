using System.Diagnostics;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Compiler;
using Spindle.Kernel.Extensions;
using Spindle.Machine.Devices;
using Spindle.Sdk.Vfs;

namespace Spindle.Bench.Suites;

/// <summary>
/// The storage table: sequential reads of a file on an ext2 image made by mke2fs, with the cache warm. Spindle: the
/// ext2 extension (built by the trusted compiler) over the buffer cache and the image disk, read through the VFS
/// contract in 64 KiB reads. Host: Linux's own ext2 driver over the same image (a read-only loop mount), read with
/// read(2) in 64 KiB reads; where the loop mount is refused, the host's file system on the folder the image was
/// made from (the row's note says which). One operation is 1 MiB read. The writing rows are in FsSuite.Write.cs.
/// </summary>
public sealed partial class FsSuite : BenchSuite
{
    private const int Mib = 1 << 20, Chunk = 64 << 10;

    public override string Name => "fs";

    public override string Title => "File system: ext2, sequential read of a warm file and write (us per MiB), small files (us per file)";

    public override IReadOnlyList<BenchRow> Run(BenchSession session)
    {
        int mibs = session.Settings == BenchSettings.Quick ? 8 : 16;      // warm: well inside the cache (32 MiB by default)
        string dir = Directory.CreateTempSubdirectory("spindle-bench-fs-").FullName;
        try
        {
            string tree = Path.Combine(dir, "tree"), image = Path.Combine(dir, "fs.img"), data = Path.Combine(tree, "data");
            Directory.CreateDirectory(tree);
            var bytes = new byte[mibs * Mib];
            new Random(1).NextBytes(bytes);
            File.WriteAllBytes(data, bytes);
            if (Tool("mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", tree, image, (mibs + 16) + "M") is { } refused)
                return [NotAvailable("fs-read-seq-warm", null, $"mke2fs: {refused}")];
            session.Progress("fs-read-seq-warm: Spindle's ext2");
            double? spindle = SpindleMicros(image, mibs, session.Settings, out string? why);
            session.Progress("fs-read-seq-warm: Linux's ext2");
            double host = HostMicros(dir, image, data, mibs, session.Settings, out string hostNote);
            BenchRow read = spindle is { } s
                ? InProcess("fs-read-seq-warm", s, host, hostNote)
                : NotAvailable("fs-read-seq-warm", host, why!);
            return [read, .. WriteRows(session, dir, image)];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // Spindle: a kernel with the image as vda, ext2 loaded as an extension and mounted, the file read whole once
    // (warming the cache), then 1 MiB reads going round the file.
    private static double? SpindleMicros(string image, int mibs, BenchSettings settings, out string? why)
    {
        using var kernel = new KernelRoot(new KernelOptions(MemoryBytes: 256UL << 20));
        using var disk = new FileBlockDevice(image, "vda", readOnly: true);
        var fs = MountOnSpindle(kernel, disk, out why);
        if (fs is null) return null;
        if (fs.Root.Lookup("data"u8, out Vnode? file) < 0) { why = "no data file on the image"; return null; }
        var buffer = new byte[Chunk];
        long Read(long offset)
        {
            long sum = 0;
            for (int done = 0; done < Mib; done += Chunk) sum += file!.Read(buffer, offset + done);
            return sum;
        }
        for (int m = 0; m < mibs; m++) Read((long)m * Mib);
        int next = 0;
        return Measure.MicrosPerOp(n => { long s = 0; for (int i = 0; i < n; i++) s += Read((long)(next++ % mibs) * Mib); return s; }, settings);
    }

    // `disk` as vda of `kernel`, ext2 loaded as an extension and mounted (read-write if the disk is): the file system,
    // or null and why.
    private static IFileSystem? MountOnSpindle(KernelRoot kernel, FileBlockDevice disk, out string? why)
    {
        kernel.Cache.Disks.Add(disk);
        disk.Attach(kernel.Lines);
        var manager = ExtensionManager.ForKernel(kernel, SpindleHome.Default);
        string? source = ExtensionSources.Find(Path.Combine("Fs", "Ext2"), out why);
        if (source is null || manager.Load(source, out why) is null) return null;
        var mounted = kernel.FileSystemTypes.MountDisk(new MountRequest("ext2", 0, disk.ReadOnly));
        why = mounted.Reason;
        return mounted.FileSystem;
    }

    // The host: the same image loop-mounted read-only (or the folder it was made from), read the same way.
    private static double HostMicros(string dir, string image, string data, int mibs, BenchSettings settings, out string note)
    {
        string mount = Path.Combine(dir, "mnt");
        Directory.CreateDirectory(mount);
        string? refused = Tool("mount", "-o", "loop,ro", "-t", "ext2", image, mount);
        note = refused is null ? "host: Linux ext2 over a read-only loop mount of the same image"
            : $"host: no loop mount ({refused.Trim()}); the host's file system on the image's source folder";
        try
        {
            using var file = new FileStream(refused is null ? Path.Combine(mount, "data") : data, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            var buffer = new byte[Chunk];
            long Read(long offset)
            {
                long sum = 0;
                for (int done = 0; done < Mib; done += Chunk) sum += RandomAccess.Read(file.SafeFileHandle, buffer, offset + done);
                return sum;
            }
            for (int m = 0; m < mibs; m++) Read((long)m * Mib);
            int next = 0;
            return Measure.MicrosPerOp(n => { long s = 0; for (int i = 0; i < n; i++) s += Read((long)(next++ % mibs) * Mib); return s; }, settings);
        }
        finally
        {
            if (refused is null) Tool("umount", mount);
        }
    }

    // Runs a host tool: null if it succeeded, else what it said.
    private static string? Tool(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"exit {p.ExitCode}: {error}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
