namespace Spindle.Machine.Memory;

/// <summary>Access rights of a user page.</summary>
[Flags]
public enum PageRights : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    ReadWrite = Read | Write,
    ReadExecute = Read | Execute,
    All = Read | Write | Execute,
}

/// <summary>One entry of a page table: the frame a virtual page maps to, its rights, and
/// the referenced and dirty bits the MMU sets, and three software bits the MMU ignores.</summary>
public struct PageTableEntry
{
    public uint Frame;
    public PageRights Rights;
    public bool Present;
    public bool Accessed;
    public bool Dirty;
    /// <summary>Software: the frame is shared copy-on-write; the kernel gives the page a private copy before any write.</summary>
    public bool CopyOnWrite;
    /// <summary>Software: the page is logically writable but <see cref="Rights"/> withholds Write until the
    /// copy-on-write sharing is broken. Only set with <see cref="CopyOnWrite"/>.</summary>
    public bool DeferredWrite;
    /// <summary>Software, kernel-private: the frame is known to hold only zeros. Set only by
    /// <see cref="PageTable.Map(ulong, uint, PageRights, bool, bool)"/> for a frame the kernel just zeroed (or shares
    /// copy-on-write from a page with this bit); cleared wherever <see cref="Dirty"/> is set (every write to the page goes
    /// there first), so Zero implies !Dirty. Extensions never see or clear it.</summary>
    public bool Zero;

    /// <summary>True if the software bits agree with each other: <see cref="Zero"/> implies not <see cref="Dirty"/>, and
    /// <see cref="DeferredWrite"/> implies <see cref="CopyOnWrite"/>. Whoever changes those bits asserts it.</summary>
    public readonly bool BitsConsistent => !(Zero && Dirty) && (!DeferredWrite || CopyOnWrite);

    /// <summary>The rights the page's owner granted: <see cref="Rights"/> plus a write deferred by copy-on-write.</summary>
    public readonly PageRights Granted => DeferredWrite ? Rights | PageRights.Write : Rights;
}
