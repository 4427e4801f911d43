using System;
using System.Collections.Generic;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// A resolved position in the name space: a vnode and the chain of directories walked to reach it.
/// ".." moves to <see cref="Parent"/> (the root is its own parent), so ".." crosses mount points
/// back the way it came. Immutable; cwd, directory descriptors and resolutions share chains.
/// </summary>
internal sealed class Location
{
    /// <summary>The root of a name space.</summary>
    public Location(Vnode root) { Node = root; Name = []; }

    private Location(Vnode node, Location parent, byte[] name) { Node = node; Parent = parent; Name = name; }

    public Vnode Node { get; }

    /// <summary>The directory this was reached from; null at the root.</summary>
    public Location? Parent { get; }

    /// <summary>The name within <see cref="Parent"/>; empty at the root.</summary>
    public byte[] Name { get; }

    /// <summary>Where ".." leads.</summary>
    public Location Up => Parent ?? this;

    /// <summary>The location of <paramref name="node"/>, found as <paramref name="name"/> in this directory.</summary>
    public Location Child(Vnode node, ReadOnlySpan<byte> name) => new(node, this, name.ToArray());

    /// <summary>The absolute path (no symbolic links, no "." or ".."), as getcwd reports it.</summary>
    public byte[] Path()
    {
        if (Parent == null) return "/"u8.ToArray();
        var parts = new List<byte[]>();
        int length = 0;
        for (Location? at = this; at!.Parent != null; at = at.Parent) { parts.Add(at.Name); length += at.Name.Length + 1; }
        var path = new byte[length];
        int i = 0;
        for (int k = parts.Count - 1; k >= 0; k--)
        {
            path[i++] = (byte)'/';
            parts[k].CopyTo(path, i);
            i += parts[k].Length;
        }
        return path;
    }
}
