using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.Loader;

/// <summary>Test-side view of an address space that bypasses rights (reads frames through the page table).</summary>
public static class UserMemory
{
    /// <summary>Reads n bytes at va regardless of rights; fails the test if a page is unmapped.</summary>
    public static byte[] Peek(AddressSpace space, ulong va, int n)
    {
        var result = new byte[n];
        for (int done = 0; done < n;)
        {
            Assert.True(space.PageTable.TryGet(va + (ulong)done, out PageTableEntry e), $"0x{va + (ulong)done:x} not mapped");
            int offset = (int)((va + (ulong)done) & PhysicalMemory.PageMask);
            int chunk = Math.Min(PhysicalMemory.PageSize - offset, n - done);
            space.Frames.Memory.Frame(e.Frame).Slice(offset, chunk).CopyTo(result.AsSpan(done));
            done += chunk;
        }
        return result;
    }

    /// <summary>Rights of the page holding va; fails the test if unmapped.</summary>
    public static PageRights RightsAt(AddressSpace space, ulong va)
    {
        Assert.True(space.PageTable.TryGet(va, out PageTableEntry e), $"0x{va:x} not mapped");
        return e.Rights;
    }
}
