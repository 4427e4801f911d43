using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;
using Spindle.Sdk.Memory;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>
/// madvise(DONTNEED/FREE) goes through IUserMemory.Discard: pages never written since they were mapped are left alone
/// (no fresh frame: the thread-stack fast path) and every other page of the range is zeroed with its rights kept. The
/// fake's Discard replaces a written page by a new byte array, so reference identity tells a kept page from a discarded
/// one. (That the kernel's Discard tracks writes correctly is tested in Translation/ZeroPageTests.)
/// </summary>
public sealed class MadviseZeroPagesTests
{
    private const ulong Anon = LinuxAbi.MAP_PRIVATE | LinuxAbi.MAP_ANONYMOUS, RW = LinuxAbi.PROT_READ | LinuxAbi.PROT_WRITE;
    private const ulong Page = 4096;
    private static readonly ulong NoFd = unchecked((ulong)-1L);

    [Theory]
    [InlineData(LinuxAbi.MADV_DONTNEED)]
    [InlineData(LinuxAbi.MADV_FREE)]
    public void UnwrittenPagesAreKeptAndOthersZeroedWithRights(int advice)
    {
        var f = new LinuxFixture();
        ulong a = (ulong)f.Call(Sys.mmap, 0, 6 * Page, RW, Anon, NoFd, 0);
        Assert.True(f.Strand.CopyOut(a + Page + 100, [7]));            // page 1: written
        Assert.True(f.Strand.CopyOut(a + 2 * Page, new byte[Page]));    // page 2: written, but with zeros
        Assert.True(f.Strand.CopyOut(a + 4 * Page + 4095, [9]));        // page 4: written, then made unreadable
        Assert.Equal(0, f.Call(Sys.mprotect, a + 4 * Page, Page, 0));
        Assert.True(f.Strand.CopyOut(a + 5 * Page, [3]));                // page 5: written, then read-only
        Assert.Equal(0, f.Call(Sys.mprotect, a + 5 * Page, Page, LinuxAbi.PROT_READ));
        var before = Enumerable.Range(0, 6).Select(i => f.Strand.Pages[a + (ulong)i * Page].Bytes).ToArray();

        Assert.Equal(0, f.Call(Sys.madvise, a, 6 * Page, (ulong)advice));

        var after = Enumerable.Range(0, 6).Select(i => f.Strand.Pages[a + (ulong)i * Page]).ToArray();
        Assert.Same(before[0], after[0].Bytes);      // never written: kept
        Assert.Same(before[3], after[3].Bytes);
        Assert.NotSame(before[1], after[1].Bytes);   // data: a fresh zeroed page
        Assert.NotSame(before[2], after[2].Bytes);   // written (with zeros): not known to be zero, replaced
        Assert.NotSame(before[4], after[4].Bytes);   // unreadable: replaced all the same
        Assert.NotSame(before[5], after[5].Bytes);
        Assert.All(after, p => Assert.All(p.Bytes, b => Assert.Equal(0, b)));
        Assert.Equal(Protection.Read | Protection.Write, after[1].Rights);
        Assert.Equal(Protection.None, after[4].Rights);
        Assert.Equal(Protection.Read, after[5].Rights);
    }

    [Fact]
    public void AnUntouchedStackSizedRangeKeepsEveryPage()
    {
        // glibc's thread exit advises its whole (mostly untouched) 8 MiB stack: only the written top page is replaced.
        var f = new LinuxFixture();
        const ulong Stack = 8 << 20;
        ulong a = (ulong)f.Call(Sys.mmap, 0, Stack, RW, Anon, NoFd, 0);
        ulong top = a + Stack - Page;
        Assert.True(f.Strand.CopyOut(top + 8, [1, 2, 3]));
        var before = f.Strand.Pages.Where(p => p.Key >= a && p.Key < a + Stack).ToDictionary(p => p.Key, p => p.Value.Bytes);

        Assert.Equal(0, f.Call(Sys.madvise, a, Stack, LinuxAbi.MADV_DONTNEED));

        int replaced = before.Count(p => !ReferenceEquals(p.Value, f.Strand.Pages[p.Key].Bytes));
        Assert.Equal(1, replaced);
        Assert.NotSame(before[top], f.Strand.Pages[top].Bytes);
        Assert.All(f.Strand.Pages[top].Bytes, b => Assert.Equal(0, b));
    }

    [Fact]
    public void HolesAnswerEnomemButTheMappedPartsAreStillZeroed()
    {
        var f = new LinuxFixture();
        ulong a = (ulong)f.Call(Sys.mmap, 0, 3 * Page, RW, Anon, NoFd, 0);
        Assert.Equal(0, f.Call(Sys.munmap, a + Page, Page));
        Assert.True(f.Strand.CopyOut(a, [5]));
        Assert.True(f.Strand.CopyOut(a + 2 * Page, [6]));

        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.madvise, a, 3 * Page, LinuxAbi.MADV_DONTNEED));

        Assert.Equal(0, f.Strand.Get(a, 1)[0]);
        Assert.Equal(0, f.Strand.Get(a + 2 * Page, 1)[0]);
        Assert.False(f.Strand.Pages.ContainsKey(a + Page));              // the hole stays a hole
        Assert.Equal(-Errno.ENOMEM, f.Call(Sys.madvise, a, 3 * Page, LinuxAbi.MADV_WILLNEED));
        Assert.Equal(0, f.Call(Sys.madvise, a, Page, LinuxAbi.MADV_WILLNEED));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.madvise, a + 1, Page, LinuxAbi.MADV_DONTNEED));
        Assert.Equal(-Errno.EINVAL, f.Call(Sys.madvise, a, Page, 12345));
    }
}
