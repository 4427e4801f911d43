using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;
using Spindle.Sdk.Memory;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>brk and mmap bookkeeping of the Linux personality.</summary>
public class MemoryCallTests
{
    private const ulong Anon = LinuxAbi.MAP_PRIVATE | LinuxAbi.MAP_ANONYMOUS, RW = LinuxAbi.PROT_READ | LinuxAbi.PROT_WRITE;
    private static ulong U(long v) => (ulong)v;

    [Fact]
    public void BrkGrowsAndShrinksThePagesBehindIt()
    {
        var f = new LinuxFixture();
        const ulong start = LinuxFixture.BrkStart;
        Assert.Equal((long)start, f.Call(Sys.brk, 0));
        Assert.Equal((long)start + 10000, f.Call(Sys.brk, start + 10000));
        Assert.True(f.Strand.CopyOut(start + 9999, [1]));
        Assert.Equal(3, f.Strand.Pages.Count);
        Assert.Equal((long)start + 100, f.Call(Sys.brk, start + 100));
        Assert.Single(f.Strand.Pages);
        Assert.Equal((long)start + 100, f.Call(Sys.brk, start - 4096)); // below the start: unchanged
        Assert.Equal((long)start + 100, f.Call(Sys.brk, LinuxFixture.MapBase + 1)); // into the mmap area: unchanged
    }

    [Fact]
    public void BrkDoesNotGrowOverAMapping()
    {
        var f = new LinuxFixture();
        const ulong start = LinuxFixture.BrkStart;
        Assert.Equal((long)start + 8192, f.Call(Sys.mmap, start + 8192, 4096, RW, Anon | LinuxAbi.MAP_FIXED, U(-1), 0));
        Assert.Equal((long)start, f.Call(Sys.brk, start + 20000));
        Assert.Equal((long)start + 4096, f.Call(Sys.brk, start + 4096));
    }

    [Fact]
    public void AnonymousMmapGivesZeroedPagesInTheMapArea()
    {
        var f = new LinuxFixture();
        long a = f.Call(Sys.mmap, 0, 10000, RW, Anon, U(-1), 0);
        Assert.True(a >= (long)LinuxFixture.MapBase && a < (long)LinuxFixture.MapLimit, $"0x{a:x}");
        Assert.Equal(0, a % 4096);
        Assert.Equal(3, f.Strand.Pages.Count);
        Assert.All(f.Strand.Pages.Values, p => Assert.Equal(Protection.Read | Protection.Write, p.Rights));
        long b = f.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_READ, Anon, U(-1), 0);
        Assert.True(b >= a + 12288 || b + 4096 <= a, "mappings overlap");
        Assert.Equal(0, f.Call(Sys.munmap, (ulong)a, 10000));
        Assert.Single(f.Strand.Pages);
    }

    [Fact]
    public void MmapHonoursAFreeHint()
    {
        var f = new LinuxFixture();
        Assert.Equal(0x7000_0000, f.Call(Sys.mmap, 0x7000_0000, 4096, RW, Anon, U(-1), 0));
    }

    [Fact]
    public void WriteOnlyMeansReadWrite()
    {
        var f = new LinuxFixture();
        long a = f.Call(Sys.mmap, 0, 4096, LinuxAbi.PROT_WRITE, Anon, U(-1), 0);
        Assert.Equal(Protection.Read | Protection.Write, f.Strand.Pages[(ulong)a].Rights);
    }

    [Fact]
    public void MmapValidatesItsArguments()
    {
        var f = new LinuxFixture();
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mmap, 0, 0, RW, Anon, U(-1), 0));                   // empty
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mmap, 0, 4096, RW, LinuxAbi.MAP_ANONYMOUS, U(-1), 0)); // neither shared nor private
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mmap, 0, 4096, 0x80, Anon, U(-1), 0));             // unknown prot
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mmap, 0, 4096, RW, Anon | 0x4000_0000, U(-1), 0));  // unknown flag
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mmap, 0x1234, 4096, RW, Anon | LinuxAbi.MAP_FIXED, U(-1), 0));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mmap, 0, 4096, RW, Anon, U(-1), 100));              // unaligned offset
        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.mmap, 0, ulong.MaxValue - 100, RW, Anon, U(-1), 0));
        Assert.Equal(-Errno.EBADF, f.Call(Sys.mmap, 0, 4096, RW, LinuxAbi.MAP_PRIVATE, 77, 0));
        Assert.Equal(-Errno.ENODEV, f.Call(Sys.mmap, 0, 4096, RW, LinuxAbi.MAP_PRIVATE, 1, 0));   // file-backed: not yet
        Assert.Empty(f.Strand.Pages);
    }

    [Fact]
    public void FixedNoReplaceRefusesToClobber()
    {
        var f = new LinuxFixture();
        Assert.Equal(0x9000_0000, f.Call(Sys.mmap, 0x9000_0000, 8192, RW, Anon | LinuxAbi.MAP_FIXED, U(-1), 0));
        Assert.Equal(-Errno.EEXIST, f.Call(Sys.mmap, 0x9000_1000, 8192, RW, Anon | LinuxAbi.MAP_FIXED_NOREPLACE, U(-1), 0));
        f.Strand.CopyOut(0x9000_1000, [7]);
        Assert.Equal(0x9000_1000, f.Call(Sys.mmap, 0x9000_1000, 4096, RW, Anon | LinuxAbi.MAP_FIXED, U(-1), 0));
        Assert.Equal(0, f.Strand.Get(0x9000_1000, 1)[0]); // MAP_FIXED replaced the page with a zeroed one
    }

    [Fact]
    public void MunmapAndMprotectValidate()
    {
        var f = new LinuxFixture();
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.munmap, 0x1001, 4096));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.munmap, 0x1000, 0));
        Assert.Equal(0, f.Call(Sys.munmap, 0x5000_0000, 4096)); // nothing there: fine
        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.mprotect, 0x5000_0000, 4096, LinuxAbi.PROT_READ));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mprotect, 0x5000_0001, 4096, LinuxAbi.PROT_READ));
        long a = f.Call(Sys.mmap, 0, 4096, RW, Anon, U(-1), 0);
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mprotect, (ulong)a, 4096, 0x40));
        Assert.Equal(0, f.Call(Sys.mprotect, (ulong)a, 4096, LinuxAbi.PROT_READ));
        Assert.Equal(Protection.Read, f.Strand.Pages[(ulong)a].Rights);
    }
}

/// <summary>mremap: in place when it can, moved with its contents when it must.</summary>
public class MremapTests
{
    private const ulong Anon = LinuxAbi.MAP_PRIVATE | LinuxAbi.MAP_ANONYMOUS, RW = LinuxAbi.PROT_READ | LinuxAbi.PROT_WRITE;

    [Fact]
    public void ShrinksGrowsAndMoves()
    {
        var f = new LinuxFixture();
        ulong a = (ulong)f.Call(Sys.mmap, 0x6000_0000, 4 * 4096, RW, Anon | LinuxAbi.MAP_FIXED, ulong.MaxValue, 0);
        f.Strand.CopyOut(a + 4096, [9]);
        Assert.Equal((long)a, f.Call(Sys.mremap, a, 4 * 4096, 2 * 4096, 0));     // shrink
        Assert.Equal(2, f.Strand.Pages.Count);
        Assert.Equal((long)a, f.Call(Sys.mremap, a, 2 * 4096, 3 * 4096, 0));     // grow in place
        f.Call(Sys.mmap, a + 3 * 4096, 4096, RW, Anon | LinuxAbi.MAP_FIXED, ulong.MaxValue, 0); // block the tail
        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.mremap, a, 3 * 4096, 8 * 4096, 0));
        long moved = f.Call(Sys.mremap, a, 3 * 4096, 8 * 4096, LinuxAbi.MREMAP_MAYMOVE);
        Assert.NotEqual((long)a, moved);
        Assert.Equal(9, f.Strand.Get((ulong)moved + 4096, 1)[0]);
        Assert.False(f.Strand.Pages.ContainsKey(a));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.mremap, (ulong)moved, 4096, 8192, 0x80));
        Assert.Equal(-Errno.EFAULT, f.Call(Sys.mremap, 0x7777_0000, 4096, 8192, 0));
    }
}
