using System;
using System.Collections.Generic;

namespace Spindle.Extensions.Http;

/// <summary>One cached file: its whole contents, and what its answer's headers need.</summary>
public sealed class CachedFile(string path, byte[] body, long modified, string contentType)
{
    /// <summary>The decoded path it answers (the cache's key).</summary>
    public string Path { get; } = path;

    /// <summary>The file's bytes.</summary>
    public byte[] Body { get; } = body;

    /// <summary>Its modification time, Unix seconds (Last-Modified).</summary>
    public long Modified { get; } = modified;

    /// <summary>Its Content-Type.</summary>
    public string ContentType { get; } = contentType;

    internal LinkedListNode<CachedFile>? Node;
}

/// <summary>
/// The server's own cache, SPIN's policy: small files (at most <see cref="SmallFile"/> bytes) kept whole in LRU
/// order within <see cref="Capacity"/> bytes and answered without touching the file system; larger files are never
/// cached (they are streamed from the file system each time). Keyed by the decoded path, so a hit costs one
/// dictionary look-up. The document root is mounted read-only by the server, so entries never go stale.
/// Contract: the CPU's thread.
/// </summary>
public sealed class FileCache(long capacity = 16L << 20, int smallFile = 64 << 10)
{
    private readonly Dictionary<string, CachedFile> _byPath = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedFile> _lru = new();     // most recently used first

    /// <summary>The most bytes the cache holds.</summary>
    public long Capacity { get; } = capacity;

    /// <summary>The largest file the cache keeps.</summary>
    public int SmallFile { get; } = smallFile;

    /// <summary>Bytes held.</summary>
    public long Bytes { get; private set; }

    /// <summary>Files held.</summary>
    public int Count => _byPath.Count;

    /// <summary>Hits and misses so far.</summary>
    public long Hits { get; private set; }

    /// <summary>Misses so far.</summary>
    public long Misses { get; private set; }

    /// <summary>The entry for <paramref name="path"/>, made the most recently used; null on a miss.</summary>
    public CachedFile? Find(string path)
    {
        if (!_byPath.TryGetValue(path, out CachedFile? file))
        {
            Misses++;
            return null;
        }
        Hits++;
        _lru.Remove(file.Node!);
        _lru.AddFirst(file.Node!);
        return file;
    }

    /// <summary>Keeps <paramref name="file"/> if it is small enough, evicting the least recently used files to make room.
    /// False if it is not kept (too large).</summary>
    public bool Add(CachedFile file)
    {
        if (file.Body.Length > SmallFile || file.Body.Length > Capacity) return false;
        if (_byPath.TryGetValue(file.Path, out CachedFile? old)) Remove(old);
        while (Bytes + file.Body.Length > Capacity) Remove(_lru.Last!.Value);
        file.Node = _lru.AddFirst(file);
        _byPath[file.Path] = file;
        Bytes += file.Body.Length;
        return true;
    }

    private void Remove(CachedFile file)
    {
        _lru.Remove(file.Node!);
        file.Node = null;
        _byPath.Remove(file.Path);
        Bytes -= file.Body.Length;
    }
}
