using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;

namespace Spindle.Extensions.Linux.Files;

/// <summary>The character devices /dev offers, with their Linux major/minor numbers.</summary>
internal enum DeviceKind { Null, Zero, Random, Tty, Console }

/// <summary>
/// The /dev directory: null, zero, urandom (and random), tty and console. Read-only as a
/// directory; its devices are created with it.
/// </summary>
internal sealed class DevDirectory : Vnode
{
    private const ulong DevDevice = 5;
    private readonly (byte[] Name, DeviceNode Node)[] _devices;

    public DevDirectory(ConsoleLine console, IEntropySource entropy)
    {
        _devices =
        [
            ("console"u8.ToArray(), new DeviceNode(DeviceKind.Console, 2, console, entropy)),
            ("null"u8.ToArray(), new DeviceNode(DeviceKind.Null, 3, console, entropy)),
            ("random"u8.ToArray(), new DeviceNode(DeviceKind.Random, 4, console, entropy)),
            ("tty"u8.ToArray(), new DeviceNode(DeviceKind.Tty, 5, console, entropy)),
            ("urandom"u8.ToArray(), new DeviceNode(DeviceKind.Random, 6, console, entropy)),
            ("zero"u8.ToArray(), new DeviceNode(DeviceKind.Zero, 7, console, entropy)),
        ];
    }

    public override ulong Device => DevDevice;
    public override ulong Inode => 1;
    public override uint Type => FileAbi.S_IFDIR;

    public override int Stat(out FileStatus status)
    {
        status = new FileStatus { Device = DevDevice, Inode = 1, Mode = FileAbi.S_IFDIR | 0x1ed, LinkCount = 2, BlockSize = 4096 };
        return 0;
    }

    public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
    {
        foreach (var (n, node) in _devices)
            if (name.SequenceEqual(n)) { child = node; return 0; }
        child = null;
        return -Errno.ENOENT;
    }

    public override int Open(int flags, Location where, out FileDescription? file)
    {
        file = new DevDirectoryDescription(this, flags, where);
        return 0;
    }

    private sealed class DevDirectoryDescription(DevDirectory dev, int flags, Location where) : SnapshotDirectoryDescription(flags, where)
    {
        public override int Stat(out FileStatus status) => dev.Stat(out status);

        protected override (byte[] Name, ulong Inode, byte Type)[] List()
        {
            var list = new (byte[], ulong, byte)[dev._devices.Length + 2];
            list[0] = ("."u8.ToArray(), 1, FileAbi.DT_DIR);
            list[1] = (".."u8.ToArray(), Directory!.Up.Node.Inode, FileAbi.DT_DIR);
            for (int i = 0; i < dev._devices.Length; i++) list[i + 2] = (dev._devices[i].Name, dev._devices[i].Node.Inode, FileAbi.DT_CHR);
            return list;
        }
    }
}

/// <summary>One character device of /dev.</summary>
internal sealed class DeviceNode(DeviceKind kind, ulong inode, ConsoleLine console, IEntropySource entropy) : Vnode
{
    public override ulong Device => 5;
    public override ulong Inode => inode;
    public override uint Type => FileAbi.S_IFCHR;

    /// <summary>Linux device number: makedev(major, minor).</summary>
    private ulong Rdev => kind switch
    {
        DeviceKind.Null => (1 << 8) | 3,
        DeviceKind.Zero => (1 << 8) | 5,
        DeviceKind.Random => (1 << 8) | 9,
        DeviceKind.Tty => 5 << 8,
        _ => (5 << 8) | 1,
    };

    public override int Stat(out FileStatus status)
    {
        status = new FileStatus { Device = 5, Inode = inode, Mode = FileAbi.S_IFCHR | 0x1b6, LinkCount = 1, SpecialDevice = Rdev, BlockSize = 4096 };
        return 0;
    }

    public override int Access(int mode) => 0;

    public override int Open(int flags, Location where, out FileDescription? file)
    {
        flags &= ~(LinuxAbi.O_CREAT | LinuxAbi.O_EXCL | LinuxAbi.O_TRUNC | LinuxAbi.O_CLOEXEC | LinuxAbi.O_NOFOLLOW);
        file = kind switch
        {
            DeviceKind.Null => new NullDevice(this, flags),
            DeviceKind.Zero => new ZeroDevice(this, flags),
            DeviceKind.Random => new RandomDevice(this, flags, entropy),
            _ => new TerminalDevice(this, flags, console),
        };
        return 0;
    }
}

/// <summary>A device description: stat reports the device node; seeking is allowed and meaningless (offset 0).</summary>
internal abstract class DeviceDescription(DeviceNode node, int flags) : FileDescription(flags)
{
    public override int Stat(out FileStatus status) => node.Stat(out status);
    public override long Seek(long offset, SeekWhence whence) => 0;
}

/// <summary>/dev/null: reads end at once, writes vanish.</summary>
internal sealed class NullDevice(DeviceNode node, int flags) : DeviceDescription(node, flags)
{
    public override long Read(Span<byte> buffer) => 0;
    public override long Write(ReadOnlySpan<byte> buffer) => buffer.Length;
    public override long ReadAt(Span<byte> buffer, long offset) => 0;
    public override long WriteAt(ReadOnlySpan<byte> buffer, long offset) => buffer.Length;
}

/// <summary>/dev/zero: reads give zeros, writes vanish.</summary>
internal sealed class ZeroDevice(DeviceNode node, int flags) : DeviceDescription(node, flags)
{
    public override long Read(Span<byte> buffer) { buffer.Clear(); return buffer.Length; }
    public override long Write(ReadOnlySpan<byte> buffer) => buffer.Length;
    public override long ReadAt(Span<byte> buffer, long offset) => Read(buffer);
    public override long WriteAt(ReadOnlySpan<byte> buffer, long offset) => buffer.Length;
}

/// <summary>/dev/urandom and /dev/random: reads give the machine's entropy; writes are accepted and ignored.</summary>
internal sealed class RandomDevice(DeviceNode node, int flags, IEntropySource entropy) : DeviceDescription(node, flags)
{
    public override long Read(Span<byte> buffer) { entropy.Fill(buffer); return buffer.Length; }
    public override long Write(ReadOnlySpan<byte> buffer) => buffer.Length;
}
