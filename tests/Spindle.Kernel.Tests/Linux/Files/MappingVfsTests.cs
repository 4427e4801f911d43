using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Tests.Linux.Files;

/// <summary>The file side of mmap: which descriptors map, and the bytes a page gets.</summary>
public sealed class MappingVfsTests
{
    private readonly MemoryRootFixture _m = new();

    [Fact]
    public void APageGetsTheFileBytesThenZeros()
    {
        long fd = _m.Open("/lib", 2 | LinuxAbi.O_CREAT);
        _m.WriteText(fd, "0123456789");
        var page = new byte[8];
        Array.Fill(page, (byte)0xee);
        Assert.Equal(4, _m.Personality.ReadForMapping(_m.Process, (int)fd, 6, page));
        Assert.Equal("6789\0\0\0\0"u8.ToArray(), page);
        Assert.Equal(0, _m.Personality.ReadForMapping(_m.Process, (int)fd, 100, page));
        Assert.Equal(new byte[8], page);
        Assert.Equal(-Errno.EINVAL, _m.Personality.ReadForMapping(_m.Process, (int)fd, -1, page));
    }

    [Fact]
    public void OnlyReadableFilesMap()
    {
        var page = new byte[8];
        Assert.Equal(-Errno.EBADF, _m.Personality.ReadForMapping(_m.Process, 99, 0, page));
        Assert.Equal(-Errno.EACCES, _m.Personality.ReadForMapping(_m.Process, (int)_m.Open("/w", 1 | LinuxAbi.O_CREAT), 0, page));
        Assert.Equal(-Errno.ENODEV, _m.Personality.ReadForMapping(_m.Process, (int)_m.Open("/", LinuxAbi.O_DIRECTORY), 0, page));
        Assert.Equal(-Errno.ENODEV, _m.Personality.ReadForMapping(_m.Process, (int)_m.Open("/dev/null", 0), 0, page));
        Assert.Equal(0, _m.Call(Sys.pipe2, _m.Page(1), 0));
        Assert.Equal(-Errno.ENODEV, _m.Personality.ReadForMapping(_m.Process, 6, 0, page));
        Assert.Equal(-Errno.ENODEV, _m.Personality.ReadForMapping(_m.Process, 0, 0, page)); // the console
    }
}
