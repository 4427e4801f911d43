using System;
using System.Collections.Generic;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Http;

/// <summary>
/// The files the server may send: regular, world-readable files reached from the root of a mounted file system
/// through directories only. A symbolic link anywhere on the way (or as the file itself) is refused, so no link
/// can lead out of the root; a directory is answered by its <c>index.html</c>, and there are no listings.
/// Contract: the CPU's thread (as every VFS call).
/// </summary>
public sealed class DocumentRoot(IFileSystem fileSystem)
{
    private const string Index = "index.html";

    /// <summary>The mounted file system.</summary>
    public IFileSystem FileSystem { get; } = fileSystem;

    /// <summary>Finds the file for <paramref name="components"/>: 0, the file and its attributes; or an HTTP status (403, 404).</summary>
    public int Resolve(List<string> components, out Vnode? file, out FileStatus status)
    {
        file = null;
        status = default;
        Vnode node = FileSystem.Root;
        for (int i = 0; i <= components.Count; i++)
        {
            if (node.IsSymlink) return 403;
            if (i == components.Count) break;
            if (!node.IsDirectory) return 404;
            if (Lookup(node, components[i], out Vnode? child) < 0) return 404;
            node = child!;
        }
        if (node.IsDirectory)
        {
            if (Lookup(node, Index, out Vnode? index) < 0) return 403;
            node = index!;
            if (node.IsSymlink) return 403;
        }
        if (node.Type != FileType.Regular || node.GetAttributes(out status) < 0) return 403;
        if ((status.Mode & 4) == 0) return 403;         // not readable by others
        file = node;
        return 0;
    }

    private static int Lookup(Vnode directory, string name, out Vnode? child)
    {
        Span<byte> bytes = stackalloc byte[256];
        if (name.Length > bytes.Length) { child = null; return -Errno.ENAMETOOLONG; }
        for (int i = 0; i < name.Length; i++) bytes[i] = (byte)name[i];
        return directory.Lookup(bytes[..name.Length], out child);
    }
}
