using System;
using System.Collections.Generic;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux.Files;

/// <summary>
/// Advisory file locks between the personality's processes, as Linux's fs/locks.c keeps them per
/// object (file system, device, inode): flock(2) locks and open-file-description (OFD) record locks
/// belong to an open file description and go when its last reference does; POSIX record locks belong
/// to a descriptor table (Linux's fl_owner = files_struct) and go when that table closes any descriptor
/// of the object. flock locks and record locks never conflict with each other. A lock held by one
/// owner conflicts with another owner's overlapping lock when either is exclusive. One owner's record
/// locks of one type are kept merged (overlapping or adjacent ranges become one) and every object's locks in order of their start,
/// so F_GETLK reports what Linux reports. Every release wakes <see cref="Waiters"/> (the blocked lockers look again).
/// <para>Limitations: the locks are the personality's, not the host's (a host process does not see
/// them); F_SETLKW does not detect deadlocks (EDEADLK).</para>
/// Used on the CPU's thread only.
/// </summary>
internal sealed class FileLocks(Func<string, IWaitQueue?> newQueue)
{
    /// <summary>A lock: its owner, whether it is a flock lock, exclusive (write), its range [Start, End) (End = long.MaxValue: to the end of the file, however far) and the pid F_GETLK reports.</summary>
    private sealed record Held(object Owner, bool Flock, bool Exclusive, long Start, long End, int Pid);

    private readonly Dictionary<(IFileSystem, ulong, ulong), List<Held>> _held = [];
    private IWaitQueue? _waiters;

    /// <summary>Where lockers that found a conflict wait; null if the personality has no wait queues.</summary>
    public IWaitQueue? Waiters => _waiters ??= newQueue("file locks");

    private static (IFileSystem, ulong, ulong) Key(Vnode node) => (node.FileSystem, node.Device, node.Inode);

    /// <summary>
    /// flock: takes a shared or exclusive lock for <paramref name="owner"/> (replacing its own), or
    /// removes it (<paramref name="unlock"/>). -EAGAIN on a conflict: nothing is held then (a conversion
    /// gives up the old lock first, as Linux).
    /// </summary>
    public int Flock(Vnode node, FileDescription owner, bool exclusive, bool unlock)
    {
        List<Held> locks = LocksOf(node);
        if (locks.RemoveAll(h => h.Flock && h.Owner == owner) > 0) Released();
        if (unlock) return Tidy(node, locks, 0);
        foreach (Held h in locks)
            if (h.Flock && (h.Exclusive || exclusive)) return -Errno.EAGAIN;
        locks.Add(new Held(owner, true, exclusive, 0, long.MaxValue, 0));
        owner.LockedIn = this;
        return 0;
    }

    /// <summary>F_GETLK: the first record lock of another owner that conflicts with [start, end) (null if none).</summary>
    public (bool Exclusive, long Start, long End, int Pid)? Test(Vnode node, object owner, bool exclusive, long start, long end)
    {
        if (!_held.TryGetValue(Key(node), out List<Held>? locks)) return null;
        foreach (Held h in locks)
            if (!h.Flock && h.Owner != owner && (h.Exclusive || exclusive) && h.Start < end && start < h.End)
                return (h.Exclusive, h.Start, h.End, h.Pid);
        return null;
    }

    /// <summary>
    /// F_SETLK: sets [start, end) of <paramref name="node"/> to a read or write lock of <paramref name="owner"/>, or
    /// unlocks it (<paramref name="type"/> null). -EAGAIN if another owner's lock conflicts (nothing changes).
    /// <paramref name="description"/> is the open file description the lock is taken through (OFD locks are released with it).
    /// </summary>
    public int Set(Vnode node, object owner, FileDescription description, bool? type, long start, long end, int pid)
    {
        if (type is bool exclusive && Test(node, owner, exclusive, start, end) != null) return -Errno.EAGAIN;
        List<Held> locks = LocksOf(node);
        bool removed = false;
        for (int i = locks.Count - 1; i >= 0; i--)
        {
            Held h = locks[i];
            if (h.Flock || h.Owner != owner || h.End <= start || end <= h.Start) continue;
            locks.RemoveAt(i);
            removed = true;
            if (h.Start < start) Insert(locks, h with { End = start });   // the parts outside the new range stay
            if (end < h.End) Insert(locks, h with { Start = end });
        }
        if (type is bool x)
        {
            var add = new Held(owner, false, x, start, end, pid);
            for (int i = locks.Count - 1; i >= 0; i--) // merge with the owner's touching locks of the same type
            {
                Held h = locks[i];
                if (h.Flock || h.Owner != owner || h.Exclusive != x || h.End < add.Start || add.End < h.Start) continue;
                add = add with { Start = Math.Min(h.Start, add.Start), End = Math.Max(h.End, add.End) };
                locks.RemoveAt(i);
            }
            Insert(locks, add);
            if (owner == description) description.LockedIn = this;
        }
        if (removed) Released();
        return Tidy(node, locks, 0);
    }

    /// <summary>A descriptor table closed a descriptor of <paramref name="file"/>: its POSIX locks on that object go.</summary>
    public void ReleaseTable(FileTable table, FileDescription file)
    {
        if (file.Node is not { } node || !_held.TryGetValue(Key(node), out List<Held>? locks)) return;
        if (locks.RemoveAll(h => h.Owner == table) > 0) Released();
        Tidy(node, locks, 0);
    }

    /// <summary>The last reference to <paramref name="file"/> went: its flock and OFD locks go.</summary>
    public void ReleaseDescription(FileDescription file)
    {
        if (file.Node is not { } node || !_held.TryGetValue(Key(node), out List<Held>? locks)) return;
        if (locks.RemoveAll(h => h.Owner == file) > 0) Released();
        Tidy(node, locks, 0);
    }

    // Keeps an object's locks in order of their start (Linux's order, which F_GETLK's answer follows).
    private static void Insert(List<Held> locks, Held held)
    {
        int at = locks.FindIndex(h => h.Start > held.Start);
        locks.Insert(at < 0 ? locks.Count : at, held);
    }

    private List<Held> LocksOf(Vnode node)
    {
        var key = Key(node);
        if (!_held.TryGetValue(key, out List<Held>? locks)) _held[key] = locks = [];
        return locks;
    }

    // Forgets an object with no locks left; returns result.
    private int Tidy(Vnode node, List<Held> locks, int result)
    {
        if (locks.Count == 0) _held.Remove(Key(node));
        return result;
    }

    private void Released() => _waiters?.WakeAll();
}
