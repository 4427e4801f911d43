using System.Buffers.Binary;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Services;

/// <summary>Turns a host struct statx (256 bytes, the same on every architecture) into a <see cref="FileStatus"/>.</summary>
internal static unsafe class StatxDecoder
{
    public const int Size = 256;

    /// <summary>statx of <paramref name="fd"/> itself (AT_EMPTY_PATH); 0 or -errno.</summary>
    public static int StatDescriptor(int fd, out FileStatus status)
    {
        byte* buf = stackalloc byte[Size];
        byte* empty = stackalloc byte[1];
        *empty = 0;
        int r = Libc.Statx(fd, empty, Libc.AT_EMPTY_PATH, buf);
        status = r < 0 ? default : Decode(new ReadOnlySpan<byte>(buf, Size));
        return r;
    }

    public static FileStatus Decode(ReadOnlySpan<byte> x) => new()
    {
        BlockSize = BinaryPrimitives.ReadUInt32LittleEndian(x[4..]),
        LinkCount = BinaryPrimitives.ReadUInt32LittleEndian(x[16..]),
        Uid = BinaryPrimitives.ReadUInt32LittleEndian(x[20..]),
        Gid = BinaryPrimitives.ReadUInt32LittleEndian(x[24..]),
        Mode = BinaryPrimitives.ReadUInt16LittleEndian(x[28..]),
        Inode = BinaryPrimitives.ReadUInt64LittleEndian(x[32..]),
        Size = BinaryPrimitives.ReadInt64LittleEndian(x[40..]),
        Blocks = BinaryPrimitives.ReadInt64LittleEndian(x[48..]),
        AccessSeconds = BinaryPrimitives.ReadInt64LittleEndian(x[64..]),
        AccessNanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(x[72..]),
        ChangeSeconds = BinaryPrimitives.ReadInt64LittleEndian(x[96..]),
        ChangeNanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(x[104..]),
        ModifySeconds = BinaryPrimitives.ReadInt64LittleEndian(x[112..]),
        ModifyNanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(x[120..]),
        SpecialDevice = MakeDevice(BinaryPrimitives.ReadUInt32LittleEndian(x[128..]), BinaryPrimitives.ReadUInt32LittleEndian(x[132..])),
        Device = MakeDevice(BinaryPrimitives.ReadUInt32LittleEndian(x[136..]), BinaryPrimitives.ReadUInt32LittleEndian(x[140..])),
    };

    // glibc's makedev: the dev_t encoding Linux user space sees.
    private static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
}
