using System;
using System.Collections.Generic;
using Spindle.Extensions.Linux.Abi;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// The name space: a root file system, file systems mounted on names inside it, and path
/// resolution (cwd-relative or absolute paths, ".." along the walked chain, symbolic links up to
/// <see cref="FileAbi.MaxSymlinks"/>). A mount covers a name in a directory, so /dev can be
/// mounted over a host root that has no /dev. The file systems are Sdk <see cref="IFileSystem"/>s
/// seen through their <see cref="Vnode"/>s; their device nodes open through <see cref="CharacterDevices"/>.
/// Every call returns 0 (or a count) or a negated errno.
/// </summary>
internal sealed partial class Vfs
{
    private readonly List<(Vnode Directory, byte[] Name, Vnode Root, byte[] Path)> _mounts = [];

    private readonly CharacterDevices? _devices;

    /// <param name="root">The root directory of the name space.</param>
    /// <param name="devices">The drivers device nodes open through; null: opening a device node is -ENXIO.</param>
    public Vfs(Vnode root, CharacterDevices? devices = null)
    {
        Root = new Location(root);
        _devices = devices;
    }

    public Location Root { get; }

    /// <summary>
    /// The library prefix (qemu-user's <c>-L</c>), or null: for <see cref="Lookup"/>, an absolute path (other than "/"
    /// itself) that names an existing file when walked from this directory instead of the root is that file; otherwise
    /// the path resolves from the root as usual. Only the path a call names is prefixed, never a symbolic link's target.
    /// </summary>
    public Location? Prefix { get; set; }

    /// <summary>Mounts the directory <paramref name="root"/> on <paramref name="path"/>, whose parent must exist.</summary>
    public int Mount(ReadOnlySpan<byte> path, Vnode root)
    {
        if (!root.IsDirectory) return -Errno.ENOTDIR;
        int r = ResolveParent(Root, path, out Location? parent, out byte[] name, out _);
        if (r < 0) return r;
        if (IsDotOrEmpty(name)) return -Errno.EBUSY;
        _mounts.Add((parent!.Node, name, root, parent.Child(root, name).Path()));
        return 0;
    }

    /// <summary>The root's file system and every mounted one, once each.</summary>
    public IEnumerable<IFileSystem> FileSystems()
    {
        var seen = new List<IFileSystem> { Root.Node.FileSystem };
        foreach (var m in _mounts)
            if (!seen.Contains(m.Root.FileSystem)) seen.Add(m.Root.FileSystem);
        return seen;
    }

    /// <summary>The root ("/") and every mount, in mount order, with the absolute path it is mounted on (/proc/mounts).</summary>
    public IEnumerable<(byte[] Path, IFileSystem FileSystem)> MountedFileSystems()
    {
        yield return ("/"u8.ToArray(), Root.Node.FileSystem);
        foreach (var m in _mounts) yield return (m.Path, m.Root.FileSystem);
    }

    /// <summary>Resolves <paramref name="path"/> from <paramref name="start"/>; a final symbolic link is followed only if <paramref name="followFinal"/>.</summary>
    public int Resolve(Location start, ReadOnlySpan<byte> path, bool followFinal, out Location? at)
    {
        int links = 0;
        return Walk(start, path, followFinal, ref links, out at);
    }

    /// <summary>
    /// As <see cref="Resolve"/>, under the library <see cref="Prefix"/> first: the lookup of the calls qemu-user
    /// prefixes (open and openat of an existing file, the stat family, access, readlink, execve and the interpreter).
    /// Creating, removing, renaming and changing directory resolve without it, as under qemu.
    /// </summary>
    public int Lookup(Location start, ReadOnlySpan<byte> path, bool followFinal, out Location? at)
    {
        if (Prefix != null && path.Length > 0 && path[0] == '/' && path.TrimStart((byte)'/') is { IsEmpty: false } relative
            && Resolve(Prefix, relative, followFinal, out at) == 0)
            return 0;
        return Resolve(start, path, followFinal, out at);
    }

    /// <summary>
    /// Resolves all but the last component of <paramref name="path"/> (a directory) and returns the
    /// last name ("" for "/", possibly "." or "..") and whether the path ended with '/'.
    /// </summary>
    public int ResolveParent(Location start, ReadOnlySpan<byte> path, out Location? parent, out byte[] name, out bool trailingSlash)
    {
        parent = null;
        name = [];
        trailingSlash = false;
        if (path.Length == 0) return -Errno.ENOENT;
        int end = path.Length;
        while (end > 0 && path[end - 1] == '/') end--;
        trailingSlash = end < path.Length;
        if (end == 0) { parent = Root; return 0; }
        int slash = path[..end].LastIndexOf((byte)'/');
        ReadOnlySpan<byte> last = path[(slash + 1)..end];
        if (last.Length > FileAbi.NameMax) return -Errno.ENAMETOOLONG;
        Location? dir = start;
        if (slash >= 0)
        {
            // The whole path decides whether the prefix applies: a name created beside prefixed files is not prefixed.
            int r = Resolve(start, path[..(slash + 1)], followFinal: true, out dir);
            if (r < 0) return r;
        }
        if (!dir!.Node.IsDirectory) return -Errno.ENOTDIR;
        parent = dir;
        name = last.ToArray();
        return 0;
    }

    /// <summary>True if a file system is mounted on <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public bool IsMountPoint(Location directory, ReadOnlySpan<byte> name) => FindMount(directory.Node, name) != null;

    // Walks path from start (or the root if absolute), counting followed links in links.
    private int Walk(Location start, ReadOnlySpan<byte> path, bool followFinal, ref int links, out Location? at)
    {
        at = null;
        if (path.Length == 0) return -Errno.ENOENT;
        Location current = path[0] == '/' ? Root : start;
        bool trailingSlash = path[^1] == '/';
        int i = 0;
        while (true)
        {
            while (i < path.Length && path[i] == '/') i++;
            if (i == path.Length) break;
            int end = i;
            while (end < path.Length && path[end] != '/') end++;
            ReadOnlySpan<byte> name = path[i..end];
            i = end;
            while (i < path.Length && path[i] == '/') i++;
            bool last = i == path.Length;
            if (!current.Node.IsDirectory) return -Errno.ENOTDIR;
            if (name.SequenceEqual("."u8)) continue;
            if (name.SequenceEqual(".."u8)) { current = current.Up; continue; }
            int r = Step(current, name, out Location? next);
            if (r < 0) return r;
            if (next!.Node.IsSymlink && (!last || followFinal || trailingSlash))
            {
                if (++links > FileAbi.MaxSymlinks) return -Errno.ELOOP;
                var target = new byte[LinuxAbi.PathMax];
                int n = next.Node.ReadLink(target);
                if (n < 0) return n;
                if (n >= target.Length) return -Errno.ENAMETOOLONG;
                r = Walk(current, target.AsSpan(0, n), followFinal: true, ref links, out next);
                if (r < 0) return r;
            }
            current = next!;
        }
        if (trailingSlash && !current.Node.IsDirectory) return -Errno.ENOTDIR;
        at = current;
        return 0;
    }

    // One component: a mount on the name, else the directory's own entry.
    private int Step(Location directory, ReadOnlySpan<byte> name, out Location? next)
    {
        next = null;
        if (name.Length > FileAbi.NameMax) return -Errno.ENAMETOOLONG;
        Vnode? child = FindMount(directory.Node, name);
        if (child == null)
        {
            int r = directory.Node.Lookup(name, out child);
            if (r < 0) return r;
        }
        next = directory.Child(child!, name);
        return 0;
    }

    private Vnode? FindMount(Vnode directory, ReadOnlySpan<byte> name)
    {
        foreach (var m in _mounts)
            if (m.Directory.Same(directory) && name.SequenceEqual(m.Name)) return m.Root;
        return null;
    }

    /// <summary>True for "", "." and "..": names no directory operation may create or remove.</summary>
    public static bool IsDotOrEmpty(ReadOnlySpan<byte> name) =>
        name.Length == 0 || name.SequenceEqual("."u8) || name.SequenceEqual(".."u8);
}
