namespace Spindle.Sdk.Vfs;

/// <summary>
/// Where <see cref="Vnode.ReadDirectory"/> puts entries (Linux's dir_context / filldir): the file
/// system calls <see cref="Add"/> once per entry, in its own order, until the sink refuses one or the
/// directory ends.
/// </summary>
public interface IDirectorySink
{
    /// <summary>
    /// Takes one entry: its <paramref name="name"/> (never "." or ".."), inode number, file type
    /// (<see cref="FileType"/> S_IF* bits) and the cookie that resumes the listing just after it.
    /// Returns false if the entry does not fit: it is not taken, and the file system stops
    /// (the caller resumes later from the cookie of the last entry taken).
    /// </summary>
    bool Add(System.ReadOnlySpan<byte> name, ulong inode, uint type, long nextCookie);
}
