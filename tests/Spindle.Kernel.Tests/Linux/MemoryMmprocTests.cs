using System.Text;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Files;
using Spindle.Kernel.Tests.Linux.Files;
using Spindle.Sdk.Io;
using Spindle.Sdk.Memory;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>madvise and private file mappings of the Linux personality.</summary>
public sealed class MemoryMmprocTests
{
    private const ulong Anon = LinuxAbi.MAP_PRIVATE | LinuxAbi.MAP_ANONYMOUS, RW = LinuxAbi.PROT_READ | LinuxAbi.PROT_WRITE;
    private static readonly ulong NoFd = unchecked((ulong)-1L);

    // Maps n anonymous pages read-write, each filled with its index + 1; returns the address.
    private static ulong Filled(LinuxFixture f, int n)
    {
        ulong a = (ulong)f.Call(Sys.mmap, 0, (ulong)n * 4096, RW, Anon, NoFd, 0);
        for (int i = 0; i < n; i++) Assert.True(f.Strand.CopyOut(a + (ulong)i * 4096, Enumerable.Repeat((byte)(i + 1), 4096).ToArray()));
        return a;
    }

    private static byte At(FakeStrand s, ulong va) { var b = new byte[1]; Assert.True(s.CopyIn(va, b)); return b[0]; }

    [Theory]
    [InlineData(LinuxAbi.MADV_DONTNEED)]
    [InlineData(LinuxAbi.MADV_FREE)]
    public void DiscardZeroesOnlyTheRangeAndKeepsRights(int advice)
    {
        var f = new LinuxFixture();
        ulong a = Filled(f, 4);
        Assert.Equal(0, f.Call(Sys.mprotect, a + 8192, 4096, LinuxAbi.PROT_READ));
        Assert.Equal(0, f.Call(Sys.madvise, a + 4096, 8000, (ulong)advice)); // rounds up to two pages
        Assert.Equal(1, At(f.Strand, a + 4095));
        Assert.Equal(0, At(f.Strand, a + 4096));
        Assert.Equal(0, At(f.Strand, a + 12287));
        Assert.Equal(4, At(f.Strand, a + 12288));
        Assert.Equal(Protection.Read | Protection.Write, f.Strand.Pages[a + 4096].Rights);
        Assert.Equal(Protection.Read, f.Strand.Pages[a + 8192].Rights);
    }

    [Theory]
    [InlineData(LinuxAbi.MADV_NORMAL)]
    [InlineData(LinuxAbi.MADV_RANDOM)]
    [InlineData(LinuxAbi.MADV_SEQUENTIAL)]
    [InlineData(LinuxAbi.MADV_WILLNEED)]
    public void HintsAreAcceptedAndChangeNothing(int advice)
    {
        var f = new LinuxFixture();
        ulong a = Filled(f, 2);
        Assert.Equal(0, f.Call(Sys.madvise, a, 8192, (ulong)advice));
        Assert.Equal(1, At(f.Strand, a));
        Assert.Equal(2, At(f.Strand, a + 8191));
    }

    [Fact]
    public void MadviseRejectsBadInput()
    {
        var f = new LinuxFixture();
        ulong a = Filled(f, 2);
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.madvise, a, 4096, 7));          // MADV_KEEPONFORK-like unknowns
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.madvise, a, 4096, 999));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.madvise, a + 1, 4096, LinuxAbi.MADV_DONTNEED));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.madvise, a, ulong.MaxValue, LinuxAbi.MADV_DONTNEED));
        Assert.Equal(0, f.Call(Sys.madvise, a, 0, LinuxAbi.MADV_DONTNEED));
        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.madvise, 0x7000_0000, 4096, LinuxAbi.MADV_WILLNEED));
        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.madvise, f.Strand.UserLimit - 4096, 8192, LinuxAbi.MADV_DONTNEED));
        Assert.Equal(1, At(f.Strand, a));
    }

    [Fact]
    public void DiscardOverAHoleStillZeroesTheMappedPartsAndSaysEnomem()
    {
        var f = new LinuxFixture();
        ulong a = Filled(f, 3);
        Assert.Equal(0, f.Call(Sys.munmap, a + 4096, 4096));
        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.madvise, a, 3 * 4096, LinuxAbi.MADV_DONTNEED));
        Assert.Equal(0, At(f.Strand, a));
        Assert.Equal(0, At(f.Strand, a + 8192));
        Assert.False(f.Strand.Pages.ContainsKey(a + 4096));
    }

    [Fact]
    public void DiscardSkipsHolesOfAnySizeToTheMappedPagesBeyond()
    {
        var f = new LinuxFixture();
        const ulong Base = 0x7000_0000;
        ulong[] pages = [Base, Base + 4096, Base + 3 * 4096, Base + 100 * 4096, Base + 1000 * 4096];
        foreach (ulong p in pages) Assert.Equal((long)p, f.Call(Sys.mmap, p, 4096, RW, Anon | LinuxAbi.MAP_FIXED, NoFd, 0));
        foreach (ulong p in pages) Assert.True(f.Strand.CopyOut(p, [9]));
        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.madvise, Base, 2000 * 4096, LinuxAbi.MADV_DONTNEED));
        Assert.All(pages, p => Assert.Equal(0, At(f.Strand, p)));
        Assert.Equal(pages.Length, f.Strand.Pages.Count);
    }

    // A memory-rooted personality with /f holding `text` (opened with `flags`); returns the fixture and the fd.
    private static (MemoryRootFixture M, ulong Fd) FileWith(string text, int flags = 0)
    {
        var m = new MemoryRootFixture();
        long w = m.Open("/f", 1 | LinuxAbi.O_CREAT);
        for (int at = 0; at < text.Length; at += 4096) // WriteText stages through one page
            Assert.Equal(Math.Min(4096, text.Length - at), m.WriteText(w, text.Substring(at, Math.Min(4096, text.Length - at))));
        long fd = m.Open("/f", flags);
        Assert.True(fd >= 0);
        return (m, (ulong)fd);
    }

    private static string Text(MemoryRootFixture m, ulong va, int n)
    {
        var b = new byte[n];
        Assert.True(m.S.CopyIn(va, b));
        return Encoding.ASCII.GetString(b);
    }

    [Fact]
    public void PrivateFileMappingHoldsTheFileFromTheOffsetThenZeros()
    {
        string text = new string('a', 4096) + "second page";
        var (m, fd) = FileWith(text);
        long a = m.Call(Sys.mmap, 0, 8192, LinuxAbi.PROT_READ, LinuxAbi.MAP_PRIVATE, fd, 4096);
        Assert.True(a > 0, $"{a}");
        Assert.Equal("second page\0\0", Text(m, (ulong)a, 13));
        Assert.Equal(Protection.Read, m.S.Pages[(ulong)a].Rights);
        Assert.Equal(Protection.Read, m.S.Pages[(ulong)a + 4096].Rights);
        Assert.Equal(0, At(m.S, (ulong)a + 8191));
    }

    [Fact]
    public void WritesToAPrivateFileMappingLeaveTheFileUnchanged()
    {
        var (m, fd) = FileWith("hello, file");
        long a = m.Call(Sys.mmap, 0, 11, RW, LinuxAbi.MAP_PRIVATE, fd, 0);
        Assert.True(m.S.CopyOut((ulong)a, "HELLO"u8));
        Assert.Equal("HELLO, file", Text(m, (ulong)a, 11));
        Assert.Equal(0, m.Call(Sys.lseek, fd, 0, 0));
        Assert.Equal("hello, file", m.ReadText((long)fd));
    }

    [Fact]
    public void FileMappingsLargerThanTheStagingBufferAreFilledWhole()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) text.Append((char)('a' + i % 26));
        var (m, fd) = FileWith(text.ToString());
        long a = m.Call(Sys.mmap, 0, 100_000, LinuxAbi.PROT_READ, LinuxAbi.MAP_PRIVATE, fd, 0);
        Assert.True(a > 0, $"{a}");
        Assert.Equal(text.ToString(), Text(m, (ulong)a, 100_000));
    }

    [Fact]
    public void FileMappingsRejectWhatCannotBeMapped()
    {
        var (m, fd) = FileWith("data");
        const ulong Private = LinuxAbi.MAP_PRIVATE;
        Assert.Equal(-Errno.EINVAL, m.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, Private, fd, 100));        // unaligned offset
        Assert.Equal(-Errno.EINVAL, m.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, Private, fd, 1UL << 63));  // negative offset
        Assert.Equal(-Errno.EBADF, m.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, Private, 99, 0));
        Assert.Equal(-Errno.ENODEV, m.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, LinuxAbi.MAP_SHARED, fd, 0)); // no shared file pages
        long wo = m.Open("/f", 1);
        Assert.Equal(-Errno.EACCES, m.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, Private, (ulong)wo, 0));
        Assert.Equal(-Errno.ENODEV, m.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, Private, (ulong)m.Open("/dev/null", 0), 0));
        Assert.Equal(0, m.Call(Sys.pipe2, m.Page(1), 0));
        var fds = new byte[4];
        Assert.True(m.S.CopyIn(m.Page(1), fds));
        Assert.Equal(-Errno.ENODEV, m.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, Private, BitConverter.ToUInt32(fds), 0));
        Assert.Equal(-Errno.EOVERFLOW, m.Call(Sys.mmap, 0, 8192, LinuxAbi.PROT_READ, Private, fd, (ulong)long.MaxValue - 4095));
    }
}
