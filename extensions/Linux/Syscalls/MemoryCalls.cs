using System;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Io;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux;

// The program break and anonymous mappings. Regions are page-granular; the personality keeps
// only the break and the mmap cursor, the address space itself knows what is mapped.
public sealed partial class LinuxPersonality
{
    private const ulong PageMask = IUserMemory.PageSize - 1;

    // brk: moves the break to addr if the pages between can be mapped (growing) or released
    // (shrinking); returns the break in force afterwards, as Linux does (never an errno).
    private static long Brk(IUserStrand s, LinuxProcess p, ulong addr)
    {
        if (addr < p.BrkStart || addr > p.MapBase) return (long)p.BrkCurrent;
        ulong newEnd = LinuxProcess.PageUp(addr), oldEnd = p.BrkMappedEnd;
        if (newEnd > oldEnd)
        {
            ulong grow = newEnd - oldEnd;
            if (s.Memory.FindFree(grow, oldEnd, newEnd) != oldEnd) return (long)p.BrkCurrent;
            if (!s.Memory.Map(oldEnd, grow, Protection.Read | Protection.Write)) return (long)p.BrkCurrent;
        }
        else if (newEnd < oldEnd) s.Memory.Unmap(newEnd, oldEnd - newEnd);
        p.BrkMappedEnd = newEnd;
        p.BrkCurrent = addr;
        return (long)addr;
    }

    // mmap: anonymous mappings (private, or shared: treated as private) and private file mappings, whose
    // pages are read from the file at once (MapFile). MAP_SHARED of a file answers -ENODEV: there is no page
    // cache to share the file's pages through. Placement: the hint if free, else next fit in the mmap area.
    private long Mmap(IUserStrand s, LinuxProcess p, ulong addr, ulong length, int prot, int flags, int fd, ulong offset)
    {
        if ((flags & ~LinuxAbi.MapFlagsKnown) != 0) return -Errno.EINVAL;
        int type = flags & LinuxAbi.MAP_TYPE;
        if (type != LinuxAbi.MAP_PRIVATE && type != LinuxAbi.MAP_SHARED && type != LinuxAbi.MAP_SHARED_VALIDATE) return -Errno.EINVAL;
        if (!TryProtection(prot, out Protection rights)) return -Errno.EINVAL;
        if (length == 0 || (offset & PageMask) != 0) return -Errno.EINVAL;
        bool anonymous = (flags & LinuxAbi.MAP_ANONYMOUS) != 0;
        if (!anonymous)
        {
            if ((long)offset < 0) return -Errno.EINVAL;
            if (length > long.MaxValue - offset) return -Errno.EOVERFLOW;
            long readable = ReadForMapping(p, fd, (long)offset, Span<byte>.Empty); // EBADF, EACCES, ENODEV
            if (readable < 0) return readable;
            if (type != LinuxAbi.MAP_PRIVATE) return -Errno.ENODEV;
        }
        ulong limit = s.Memory.UserLimit;
        if (length > limit) return -Errno.ENOMEM;
        length = LinuxProcess.PageUp(length);
        bool fixedNoReplace = (flags & LinuxAbi.MAP_FIXED_NOREPLACE) != 0;
        if ((flags & LinuxAbi.MAP_FIXED) != 0 || fixedNoReplace)
        {
            if ((addr & PageMask) != 0) return -Errno.EINVAL;
            if (addr > limit - length) return -Errno.ENOMEM;
            if (fixedNoReplace && s.Memory.FindFree(length, addr, addr + length) != addr) return -Errno.EEXIST;
        }
        else addr = Place(s, p, addr, length);
        if (addr == 0) return -Errno.ENOMEM;
        if (anonymous) return s.Memory.Map(addr, length, rights) ? (long)addr : -Errno.ENOMEM;
        return MapFile(s, p, addr, length, rights, fd, (long)offset);
    }

    // The private file mapping of [addr, addr+length) (page-aligned, placed): fresh pages filled with the bytes of
    // fd from offset, zeros past the end of the file, then given rights. Returns addr, or the error of the read
    // (the range is then unmapped) or -ENOMEM. Pages wholly past the end of the file read as zeros (Linux: SIGBUS).
    private long MapFile(IUserStrand s, LinuxProcess p, ulong addr, ulong length, Protection rights, int fd, long offset)
    {
        if (!s.Memory.Map(addr, length, Protection.Read | Protection.Write)) return -Errno.ENOMEM;
        for (ulong done = 0; done < length; )
        {
            var chunk = _scratch.AsSpan(0, (int)Math.Min((ulong)_scratch.Length, length - done));
            long n = ReadForMapping(p, fd, offset + (long)done, chunk);
            if (n < 0 || !s.Memory.CopyOut(addr + done, chunk[..(int)n]))
            {
                s.Memory.Unmap(addr, length);
                return n < 0 ? n : -Errno.ENOMEM;
            }
            if (n < chunk.Length) break; // end of file: the rest is already zero
            done += (ulong)chunk.Length;
        }
        if (!s.Memory.Protect(addr, length, rights)) return -Errno.ENOMEM;
        if ((rights & Protection.Execute) != 0) s.FlushInstructionCache();
        return (long)addr;
    }

    // Chooses where a non-fixed mapping of length bytes goes; 0 if nowhere.
    private static ulong Place(IUserStrand s, LinuxProcess p, ulong hint, ulong length)
    {
        hint &= ~PageMask;
        if (hint >= LinuxProcess.MinMapAddress && hint <= p.MapLimit - length && s.Memory.FindFree(length, hint, hint + length) == hint)
            return hint;
        if (length > p.MapLimit - p.MapBase) return 0;
        ulong at = p.MapNext <= p.MapLimit - length ? s.Memory.FindFree(length, p.MapNext, p.MapLimit) : 0;
        if (at == 0) at = s.Memory.FindFree(length, p.MapBase, p.MapLimit);
        if (at != 0) p.MapNext = at + length;
        return at;
    }

    private static long Munmap(IUserStrand s, ulong addr, ulong length)
    {
        if ((addr & PageMask) != 0 || length == 0) return -Errno.EINVAL;
        ulong limit = s.Memory.UserLimit;
        if (length > limit || addr > limit - LinuxProcess.PageUp(length)) return -Errno.EINVAL;
        s.Memory.Unmap(addr, LinuxProcess.PageUp(length));
        return 0;
    }

    // mremap: shrinks in place, grows in place when the pages after are free, else (MREMAP_MAYMOVE)
    // moves to a new place, copying the contents. The old range must be mapped with one protection.
    // MREMAP_FIXED and MREMAP_DONTUNMAP are not supported yet (EINVAL).
    private long Mremap(IUserStrand s, LinuxProcess p, ulong old, ulong oldSize, ulong newSize, int flags)
    {
        if ((flags & ~LinuxAbi.MREMAP_MAYMOVE) != 0 || (old & PageMask) != 0 || newSize == 0) return -Errno.EINVAL;
        ulong limit = s.Memory.UserLimit;
        if (oldSize > limit || newSize > limit || old > limit - LinuxProcess.PageUp(oldSize)) return -Errno.EINVAL;
        oldSize = LinuxProcess.PageUp(oldSize);
        newSize = LinuxProcess.PageUp(newSize);
        if (oldSize == 0 || !s.Memory.TryGetProtection(old, out Protection rights)) return -Errno.EFAULT;
        for (ulong a = old; a < old + oldSize; a += IUserMemory.PageSize)
            if (!s.Memory.TryGetProtection(a, out Protection r) || r != rights) return -Errno.EFAULT;
        if (newSize <= oldSize)
        {
            s.Memory.Unmap(old + newSize, oldSize - newSize);
            return (long)old;
        }
        ulong grow = newSize - oldSize, tail = old + oldSize;
        if (tail <= limit - grow && s.Memory.FindFree(grow, tail, tail + grow) == tail)
            return s.Memory.Map(tail, grow, rights) ? (long)old : -Errno.ENOMEM;
        if ((flags & LinuxAbi.MREMAP_MAYMOVE) == 0) return -Errno.ENOMEM;
        ulong to = Place(s, p, 0, newSize);
        if (to == 0 || !s.Memory.Map(to, newSize, Protection.Read | Protection.Write)) return -Errno.ENOMEM;
        if (!s.Memory.Protect(old, oldSize, rights | Protection.Read)) return -Errno.EFAULT;
        for (ulong done = 0; done < oldSize; done += (ulong)_scratch.Length)
        {
            var chunk = _scratch.AsSpan(0, (int)Math.Min((ulong)_scratch.Length, oldSize - done));
            s.Memory.CopyIn(old + done, chunk);
            s.Memory.CopyOut(to + done, chunk);
        }
        s.Memory.Protect(to, newSize, rights);
        s.Memory.Unmap(old, oldSize);
        return (long)to;
    }

    // madvise: NORMAL, RANDOM, SEQUENTIAL and WILLNEED are hints (accepted, nothing done); DONTNEED and FREE
    // make every mapped page of the range read as zeros again, rights kept (private anonymous semantics; a private
    // file mapping is zeroed too rather than re-read from the file) through IUserMemory.Discard, which leaves
    // never-written pages alone. -EINVAL for other advice or an unaligned addr, -ENOMEM if part of the range is
    // unmapped (the mapped parts are still advised, as Linux does) or memory runs out.
    private static long Madvise(IUserStrand s, ulong addr, ulong length, int advice)
    {
        bool discard = advice is LinuxAbi.MADV_DONTNEED or LinuxAbi.MADV_FREE;
        if (!discard && advice is not (LinuxAbi.MADV_NORMAL or LinuxAbi.MADV_RANDOM or LinuxAbi.MADV_SEQUENTIAL or LinuxAbi.MADV_WILLNEED))
            return -Errno.EINVAL;
        if ((addr & PageMask) != 0) return -Errno.EINVAL;
        ulong limit = s.Memory.UserLimit;
        if (length > limit) return -Errno.EINVAL;
        length = LinuxProcess.PageUp(length);
        if (length == 0) return 0;
        if (addr > limit - length) return -Errno.ENOMEM;
        if (!discard) return AllMapped(s.Memory, addr, addr + length) ? 0 : -Errno.ENOMEM;
        long mapped = s.Memory.Discard(addr, length);   // the mapped pages are advised even when some are missing
        return mapped >= 0 && (ulong)mapped == length / IUserMemory.PageSize ? 0 : -Errno.ENOMEM;
    }

    // True if every page of [a, end) (page-aligned) is mapped. Stops at the first hole, so it costs at most the
    // mapped pages of the range.
    private static bool AllMapped(IUserMemory m, ulong a, ulong end)
    {
        for (; a < end; a += IUserMemory.PageSize)
            if (!m.TryGetProtection(a, out _)) return false;
        return true;
    }

    private static long Mprotect(IUserStrand s, ulong addr, ulong length, int prot)
    {
        if ((addr & PageMask) != 0) return -Errno.EINVAL;
        if (!TryProtection(prot & ~(LinuxAbi.PROT_GROWSDOWN | LinuxAbi.PROT_GROWSUP), out Protection rights)) return -Errno.EINVAL;
        if (length == 0) return 0;
        ulong limit = s.Memory.UserLimit;
        if (length > limit || addr > limit - LinuxProcess.PageUp(length)) return -Errno.ENOMEM;
        return s.Memory.Protect(addr, LinuxProcess.PageUp(length), rights) ? 0 : -Errno.ENOMEM;
    }

    // PROT_* to page rights; write implies read (RISC-V has no write-only pages). False on unknown bits.
    private static bool TryProtection(int prot, out Protection rights)
    {
        rights = (Protection)(prot & 7);
        if ((rights & Protection.Write) != 0) rights |= Protection.Read;
        return (prot & ~7) == 0;
    }
}
