using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>The character devices the personality drives, by their Linux device numbers (makedev(major, minor)).</summary>
internal static class DeviceNumbers
{
    public const ulong Null = (1 << 8) | 3, Zero = (1 << 8) | 5, Random = (1 << 8) | 8, Urandom = (1 << 8) | 9,
        Tty = 5 << 8, Console = (5 << 8) | 1;
}

/// <summary>
/// /dev as an Sdk <see cref="IFileSystem"/>: a read-only directory of device nodes (console, null,
/// random, tty, urandom, zero). A node holds only its name and device number; opening it is the
/// personality's <see cref="CharacterDevices"/>' job, as Linux opens a character device by its number.
/// </summary>
internal sealed class DevFs : IFileSystem
{
    private const ulong DevDevice = 5;

    public DevFs() => Root = new DevDirectory(this);

    public Vnode Root { get; }
    public ulong Device => DevDevice;

    public int GetStatistics(out FileSystemStatistics statistics)
    {
        statistics = new FileSystemStatistics { Type = 0x01021994, BlockSize = 4096, Files = 7, NameMax = FileAbi.NameMax };
        return 0;
    }

    public int Sync() => 0;
}

/// <summary>The /dev directory; its devices are made with it and never change.</summary>
internal sealed class DevDirectory : Vnode
{
    private readonly DevFs _fs;
    private readonly (byte[] Name, DeviceNode Node)[] _devices;

    public DevDirectory(DevFs fs)
    {
        _fs = fs;
        _devices =
        [
            ("console"u8.ToArray(), new DeviceNode(fs, DeviceNumbers.Console, 2)),
            ("null"u8.ToArray(), new DeviceNode(fs, DeviceNumbers.Null, 3)),
            ("random"u8.ToArray(), new DeviceNode(fs, DeviceNumbers.Random, 4)),
            ("tty"u8.ToArray(), new DeviceNode(fs, DeviceNumbers.Tty, 5)),
            ("urandom"u8.ToArray(), new DeviceNode(fs, DeviceNumbers.Urandom, 6)),
            ("zero"u8.ToArray(), new DeviceNode(fs, DeviceNumbers.Zero, 7)),
        ];
    }

    public override IFileSystem FileSystem => _fs;
    public override ulong Inode => 1;
    public override uint Type => FileType.Directory;

    public override int GetAttributes(out FileStatus status)
    {
        status = new FileStatus { Device = Device, Inode = 1, Mode = FileType.Directory | 0x1ed, LinkCount = 2, BlockSize = 4096 };
        return 0;
    }

    public override int Lookup(ReadOnlySpan<byte> name, out Vnode? child)
    {
        foreach (var (n, node) in _devices)
            if (name.SequenceEqual(n)) { child = node; return 0; }
        child = null;
        return -Errno.ENOENT;
    }

    // Cookie i resumes at the i-th device.
    public override int ReadDirectory(long cookie, IDirectorySink sink)
    {
        if (cookie < 0) return -Errno.EINVAL;
        for (long i = cookie; i < _devices.Length; i++)
            if (!sink.Add(_devices[i].Name, _devices[i].Node.Inode, FileType.CharacterDevice, i + 1)) break;
        return 0;
    }
}

/// <summary>One character device node of /dev: its device number (st_rdev) and nothing else.</summary>
internal sealed class DeviceNode(DevFs fs, ulong number, ulong inode) : Vnode
{
    public override IFileSystem FileSystem => fs;
    public override ulong Inode => inode;
    public override uint Type => FileType.CharacterDevice;

    public override int GetAttributes(out FileStatus status)
    {
        status = new FileStatus { Device = Device, Inode = inode, Mode = FileType.CharacterDevice | 0x1b6, LinkCount = 1, SpecialDevice = number, BlockSize = 4096 };
        return 0;
    }

    public override int Access(int mode) => 0;
}

/// <summary>
/// The personality's character-device drivers: opens a device node of any file system by its device
/// number (st_rdev); a number no driver serves is -ENXIO, as on Linux.
/// </summary>
internal sealed class CharacterDevices(Func<ConsoleLine> console, IEntropySource entropy)
{
    public int Open(Vnode node, int flags, out FileDescription? file)
    {
        file = null;
        int r = node.GetAttributes(out FileStatus st);
        if (r < 0) return r;
        flags &= ~(LinuxAbi.O_CREAT | LinuxAbi.O_EXCL | LinuxAbi.O_TRUNC | LinuxAbi.O_CLOEXEC | LinuxAbi.O_NOFOLLOW);
        file = st.SpecialDevice switch
        {
            DeviceNumbers.Null => new NullDevice(node, flags),
            DeviceNumbers.Zero => new ZeroDevice(node, flags),
            DeviceNumbers.Random or DeviceNumbers.Urandom => new RandomDevice(node, flags, entropy),
            DeviceNumbers.Tty or DeviceNumbers.Console => new TerminalDevice(node, flags, console()),
            _ => null,
        };
        return file == null ? -Errno.ENXIO : 0;
    }
}

/// <summary>A device description: stat reports the device node; seeking is allowed and meaningless (offset 0).</summary>
internal abstract class DeviceDescription(Vnode node, int flags) : FileDescription(flags)
{
    public override int Stat(out FileStatus status) => node.GetAttributes(out status);
    public override long Seek(long offset, SeekWhence whence) => 0;
    public override Vnode? Node => node;
}

/// <summary>/dev/null: reads end at once, writes vanish.</summary>
internal sealed class NullDevice(Vnode node, int flags) : DeviceDescription(node, flags)
{
    public override long Read(Span<byte> buffer) => 0;
    public override long Write(ReadOnlySpan<byte> buffer) => buffer.Length;
    public override long ReadAt(Span<byte> buffer, long offset) => 0;
    public override long WriteAt(ReadOnlySpan<byte> buffer, long offset) => buffer.Length;
}

/// <summary>/dev/zero: reads give zeros, writes vanish.</summary>
internal sealed class ZeroDevice(Vnode node, int flags) : DeviceDescription(node, flags)
{
    public override long Read(Span<byte> buffer) { buffer.Clear(); return buffer.Length; }
    public override long Write(ReadOnlySpan<byte> buffer) => buffer.Length;
    public override long ReadAt(Span<byte> buffer, long offset) => Read(buffer);
    public override long WriteAt(ReadOnlySpan<byte> buffer, long offset) => buffer.Length;
}

/// <summary>/dev/urandom and /dev/random: reads give the machine's entropy; writes are accepted and ignored.</summary>
internal sealed class RandomDevice(Vnode node, int flags, IEntropySource entropy) : DeviceDescription(node, flags)
{
    public override long Read(Span<byte> buffer) { entropy.Fill(buffer); return buffer.Length; }
    public override long Write(ReadOnlySpan<byte> buffer) => buffer.Length;
}
