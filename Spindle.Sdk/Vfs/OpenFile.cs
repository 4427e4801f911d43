using System;
using Spindle.Sdk.Io;

namespace Spindle.Sdk.Vfs;

/// <summary>
/// One open of a <see cref="Vnode"/> (Linux's struct file without the offset: the personality keeps
/// offsets, O_APPEND and descriptors). The base class forwards every operation to the node; a file
/// system with per-open state derives from it. <see cref="Release"/> is called once, when the last
/// descriptor referring to it is closed; no call follows it. Results as <see cref="Vnode"/>'s.
/// </summary>
public class OpenFile
{
    /// <param name="node">The object opened.</param>
    public OpenFile(Vnode node) => Node = node;

    /// <summary>The object opened.</summary>
    public Vnode Node { get; }

    /// <summary>Reads at <paramref name="offset"/> (see <see cref="Vnode.Read"/>).</summary>
    public virtual long Read(Span<byte> buffer, long offset) => Node.Read(buffer, offset);

    /// <summary>Writes at <paramref name="offset"/> (see <see cref="Vnode.Write"/>).</summary>
    public virtual long Write(ReadOnlySpan<byte> buffer, long offset) => Node.Write(buffer, offset);

    /// <summary>Lists entries from <paramref name="cookie"/> (see <see cref="Vnode.ReadDirectory"/>).</summary>
    public virtual int ReadDirectory(long cookie, IDirectorySink sink) => Node.ReadDirectory(cookie, sink);

    /// <summary>The current attributes (fstat; see <see cref="Vnode.GetAttributes"/>).</summary>
    public virtual int GetAttributes(out FileStatus status) => Node.GetAttributes(out status);

    /// <summary>Sets the length (ftruncate; see <see cref="Vnode.Truncate"/>).</summary>
    public virtual int Truncate(long length) => Node.Truncate(length);

    /// <summary>fsync (see <see cref="Vnode.Sync"/>).</summary>
    public virtual int Sync() => Node.Sync();

    /// <summary>
    /// fallocate: with <paramref name="mode"/> 0, makes sure the file holds <paramref name="offset"/> +
    /// <paramref name="length"/> bytes (growing it with zeros; never shrinking it). The default does that
    /// through the length alone (no blocks are reserved ahead) and answers other modes -EOPNOTSUPP.
    /// </summary>
    public virtual int Allocate(int mode, long offset, long length)
    {
        if (Node.Type != FileType.Regular) return Node.IsDirectory ? -Errno.EISDIR : -Errno.ENODEV;
        if (mode != 0) return -Errno.EOPNOTSUPP;
        int r = GetAttributes(out FileStatus st);
        if (r < 0) return r;
        return offset + length > st.Size ? Truncate(offset + length) : 0;
    }

    /// <summary>True if mmap may map this open (its pages are filled with <see cref="Read"/>); by default, regular files. Linux answers -ENODEV otherwise.</summary>
    public virtual bool Mappable => Node.Type == FileType.Regular;

    /// <summary>The last reference is gone: releases what the open holds. The default holds nothing.</summary>
    public virtual void Release() { }
}
