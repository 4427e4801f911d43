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
/// the referenced and dirty bits the MMU sets.</summary>
public struct PageTableEntry
{
    public uint Frame;
    public PageRights Rights;
    public bool Present;
    public bool Accessed;
    public bool Dirty;
}
