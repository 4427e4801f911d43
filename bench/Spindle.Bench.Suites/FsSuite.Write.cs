using System.Text;
using Spindle.Kernel.Boot;
using Spindle.Machine.Devices;
using Spindle.Sdk.Vfs;

namespace Spindle.Bench.Suites;

// The writing rows of the fs suite, each on an empty 4 KiB-block image mke2fs made, one per side:
// - fs-write-seq: us per MiB written sequentially in 64 KiB writes into a 16 MiB window of one file (emptied by a
//   truncate each time round, so blocks are allocated and freed), with an fsync at the end of each timed batch.
// - fs-create-small: us per small file: create, write 4 KiB, unlink (no fsync).
// Spindle: a read-write mount of ext2 (the extension, the buffer cache, the image disk), driven through the VFS
// contract in the bench's process. Host: Linux's ext2 on a read-write loop mount of its image, through system calls;
// where the loop mount is refused, the host's file system in the bench's folder (the note says which).
public sealed partial class FsSuite
{
    private const int WindowMibs = 16, SmallFile = 4096;

    private IEnumerable<BenchRow> WriteRows(BenchSession session, string dir, string readImage)
    {
        string spindleImage = Path.Combine(dir, "write-spindle.img"), hostImage = Path.Combine(dir, "write-host.img");
        foreach (var image in new[] { spindleImage, hostImage })
            if (Tool("mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", image, (WindowMibs + 48) + "M") is { } refused)
                return [NotAvailable("fs-write-seq", null, $"mke2fs: {refused}"), NotAvailable("fs-create-small", null, $"mke2fs: {refused}")];
        var chunk = new byte[Chunk];
        new Random(2).NextBytes(chunk);
        var settings = session.Settings;

        session.Progress("fs-write-seq, fs-create-small: Spindle's ext2");
        double? write = null, create = null;
        string? why;
        using (var kernel = new KernelRoot(new KernelOptions(MemoryBytes: 256UL << 20)))
        using (var disk = new FileBlockDevice(spindleImage, "vda", readOnly: false))
        {
            var fs = MountOnSpindle(kernel, disk, out why);
            if (fs != null && fs.Root.Create("w"u8, 0x1a4, out Vnode? file) == 0)
            {
                write = Measure.MicrosPerOp(WriteBatch((offset, length) => file!.Write(chunk.AsSpan(0, length), offset),
                    () => file!.Truncate(0), () => file!.Sync()), settings);
                int next = 0;
                create = Measure.MicrosPerOp(n =>
                {
                    long sum = 0;
                    for (int i = 0; i < n; i++)
                    {
                        var name = Encoding.ASCII.GetBytes("s" + next++);
                        if (fs.Root.Create(name, 0x1a4, out Vnode? small) < 0) continue;
                        sum += small!.Write(chunk.AsSpan(0, SmallFile), 0) + fs.Root.Unlink(name);
                    }
                    return sum;
                }, settings);
            }
            else why ??= "cannot create a file on the mounted image";
        }

        session.Progress("fs-write-seq, fs-create-small: Linux's ext2");
        string mount = Path.Combine(dir, "write-mnt");
        Directory.CreateDirectory(mount);
        string? loop = Tool("mount", "-o", "loop", "-t", "ext2", hostImage, mount);
        string note = loop is null ? "host: Linux ext2 over a read-write loop mount of an image like Spindle's"
            : $"host: no loop mount ({loop.Trim()}); the host's file system in the bench's folder";
        double hostWrite, hostCreate;
        try
        {
            string folder = loop is null ? mount : Path.Combine(dir, "write-host");
            Directory.CreateDirectory(folder);
            using (var file = new FileStream(Path.Combine(folder, "w"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None))
                hostWrite = Measure.MicrosPerOp(WriteBatch((offset, length) => { RandomAccess.Write(file.SafeFileHandle, chunk.AsSpan(0, length), offset); return length; },
                    () => { RandomAccess.SetLength(file.SafeFileHandle, 0); return 0; }, () => { file.Flush(flushToDisk: true); return 0; }), settings);
            int next = 0;
            hostCreate = Measure.MicrosPerOp(n =>
            {
                for (int i = 0; i < n; i++)
                {
                    string path = Path.Combine(folder, "s" + next++);
                    File.WriteAllBytes(path, chunk.AsSpan(0, SmallFile).ToArray());
                    File.Delete(path);
                }
                return n;
            }, settings);
        }
        finally
        {
            if (loop is null) Tool("umount", mount);
        }
        return
        [
            write is { } w ? InProcess("fs-write-seq", w, hostWrite, note) : NotAvailable("fs-write-seq", hostWrite, why ?? "not mounted"),
            create is { } c ? InProcess("fs-create-small", c, hostCreate, note + "; Spindle's side makes no system call")
                : NotAvailable("fs-create-small", hostCreate, why ?? "not mounted"),
        ];
    }

    // A batch of n MiB written in 64 KiB writes going round a window of WindowMibs (truncated to empty each time
    // round), then synced; one side's write, truncate and sync given as functions.
    private static Func<int, long> WriteBatch(Func<long, int, long> write, Func<long> truncate, Func<long> sync)
    {
        int next = 0;
        return n =>
        {
            long sum = 0;
            for (int i = 0; i < n; i++, next++)
            {
                long at = (long)(next % WindowMibs) * Mib;
                if (at == 0) sum += truncate();
                for (int done = 0; done < Mib; done += Chunk) sum += write(at + done, Chunk);
            }
            return sum + sync();
        };
    }
}
