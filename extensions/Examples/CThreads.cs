using System;
using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Translation;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Examples;

/// <summary>
/// SPIN's integrated C-Threads: a user-level thread package (user/lib/cthreads.c) whose threads are kernel strands
/// sharing the program's address space, created, ended, joined and blocked by this extension, which the program
/// loads for itself (spindle_ext_load). Mutexes and conditions live in user memory and are taken with atomics; the
/// kernel is entered only on contention, through wait queues keyed by the user address of the word waited on.
/// Every call has a0 = -ENOSYS (left there when no extension of the caller answers) and its arguments in a1-a4:
/// <list type="bullet">
/// <item><c>1030 fork(entry, sp, func, arg)</c>: a new package thread starting at entry with sp, a0 = func, a1 = arg
/// (its other registers are the caller's, tp included). Returns its id (&gt; 0), -EINVAL for a null entry or an sp
/// not 16-aligned, -EAGAIN if <see cref="MaxThreads"/> are alive or memory runs out.</item>
/// <item><c>1031 exit(result)</c>: ends the calling package thread; its joiners wake. -EPERM from a thread the
/// package did not fork (the Linux thread that loaded it ends with exit or exit_group).</item>
/// <item><c>1032 join(id, resultp)</c>: waits until thread id has ended, stores its result (8 bytes) at resultp unless
/// resultp is 0, and forgets it. 0; -ECANCELED if it was killed (a fault); -ESRCH for an id that is not a live or
/// unjoined thread; -EDEADLK for the caller's own id; -EFAULT if resultp is not writable (the thread stays joinable).</item>
/// <item><c>1033 wait(addr, expected)</c>: sleeps if the 32-bit word at addr equals expected (as futex wait), until a wake
/// on addr. 0 (woken, or the word differed); -EINVAL for an unaligned addr; -EFAULT if unreadable.</item>
/// <item><c>1034 wake(addr, count)</c>: wakes up to count strands waiting on addr, oldest first, handing each its result
/// so that it resumes past its call without running it again; returns how many.</item>
/// <item><c>1035 self()</c>: the caller's package thread id, 0 for a thread the package did not fork.</item>
/// </list>
/// Package threads are not Linux threads: a Linux system call from one answers -ENOSYS, so their bodies use only the
/// package and user memory. When the process ends (exit_group, or a fatal signal to one of its Linux threads) its
/// package threads are killed; a package thread that faults is killed alone and its joiner gets -ECANCELED.
/// The extension belongs to the program that loaded it: calls from other programs are left to their own extensions.
/// </summary>
public sealed class CThreads : IExtension
{
    /// <summary>The fork call's number; exit, join, wait, wake and self follow it.</summary>
    public const long Number = 1030;

    /// <summary>Package threads alive or unjoined at once, at most.</summary>
    public const int MaxThreads = 1024;

    private const long ForkCall = Number, ExitCall = Number + 1, JoinCall = Number + 2, WaitCall = Number + 3,
        WakeCall = Number + 4, SelfCall = Number + 5, ExitGroupCall = 94;
    private const long EPERM = 1, ESRCH = 3, EAGAIN = 11, EFAULT = 14, EINVAL = 22, EDEADLK = 35, ECANCELED = 125;
    private const int SIGKILL = 9, MaxLists = 4096;
    private const ulong PageMask = IUserMemory.PageSize - 1;
    private const int RegSp = 2, RegA0 = 10, RegA1 = 11;

    // One package thread, reached from its strand through this extension's strand slot.
    private sealed class PackageThread(long id, IUserStrand strand, IWaitQueue joiners)
    {
        public readonly long Id = id;
        public readonly IUserStrand Strand = strand;
        public readonly IWaitQueue Joiners = joiners;
        public bool Done, Killed;
        public ulong Result;
    }

    // A strand that has used wait: its own queue to sleep on, and its current wait (Ticket names it in a list).
    private sealed class Waiter(IUserStrand strand, IWaitQueue queue)
    {
        public readonly IUserStrand Strand = strand;
        public readonly IWaitQueue Queue = queue;
        public bool Waiting;
        public long Ticket;
    }

    // A place in an address's list; stale once the waiter's ticket moved on or it stopped waiting.
    private readonly record struct Entry(Waiter Waiter, long Ticket);

    private ITranslationService _translation = null!;
    private IStrandService _strands = null!;
    private StrandSlot<PackageThread> _thread = null!;   // each package thread's strand: this domain's own slot
    private TranslationContext? _context;    // the loading program's, once it called
    private readonly Dictionary<long, PackageThread> _threads = [];
    private readonly Dictionary<IUserStrand, Waiter> _waiters = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ulong, Queue<Entry>> _lists = [];   // who waits on each user address, oldest first
    private readonly Stack<Queue<Entry>> _spareLists = new();
    private readonly byte[] _word = new byte[8];
    private long _nextId = 1;

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _translation = context.Import<ITranslationService>();
        _strands = context.Import<IStrandService>();
        _thread = _strands.CreateSlot<PackageThread>("cthreads");
        var traps = context.Import<ITrapEvents>();
        var d = context.Dispatcher;
        d.Install(traps.Syscall, Fork, t => t.Number == ForkCall);
        d.Install(traps.Syscall, Exit, t => t.Number == ExitCall);
        d.Install(traps.Syscall, Join, t => t.Number == JoinCall);
        d.Install(traps.Syscall, Wait, t => t.Number == WaitCall);
        d.Install(traps.Syscall, Wake, t => t.Number == WakeCall);
        d.Install(traps.Syscall, Self, t => t.Number == SelfCall);
        d.Install(traps.Syscall, OnExitGroup, t => t.Number == ExitGroupCall);
        d.Install(traps.Exited, OnExited);
    }

    // fork(a1 = entry, a2 = sp, a3 = func, a4 = arg): the new thread's id, or -EINVAL / -EAGAIN.
    private bool Fork(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        ulong entry = s.Arg1, sp = s.Arg2;
        if (entry == 0 || sp == 0 || (sp & 15) != 0) { s.Result = -EINVAL; return true; }
        if (_threads.Count >= MaxThreads || s.Clone(shareMemory: true) is not { } child) { s.Result = -EAGAIN; return true; }
        var thread = new PackageThread(_nextId++, child, _strands.CreateWaitQueue("cthread-join"));
        _thread.Set(child, thread);
        child.Pc = entry;
        child.SetRegister(RegSp, sp);
        child.SetRegister(RegA0, s.Arg3);
        child.SetRegister(RegA1, s.Arg4);
        _threads.Add(thread.Id, thread);
        s.Result = thread.Id;
        return true;
    }

    // exit(a1 = result): ends the calling package thread and wakes its joiners; -EPERM from another thread.
    private bool Exit(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        if (_thread.Get(s) is not { } t) { s.Result = -EPERM; return true; }
        t.Result = s.Arg1;
        Finish(t, killed: false);
        s.Exit(0);
        return true;
    }

    // join(a1 = id, a2 = resultp): blocks until the thread ended (restarting), then reports and forgets it.
    private bool Join(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        long id = (long)s.Arg1;
        if (!_threads.TryGetValue(id, out var t)) { Answer(s, -ESRCH); return true; }
        if (ReferenceEquals(t.Strand, s)) { Answer(s, -EDEADLK); return true; }
        if (!t.Done) { s.Block(t.Joiners); return true; }
        if (t.Killed) { _threads.Remove(id); Answer(s, -ECANCELED); return true; }
        if (s.Arg2 != 0)
        {
            BitConverter.TryWriteBytes(_word, t.Result);
            if (!s.Memory.CopyOut(s.Arg2, _word)) { Answer(s, -EFAULT); return true; }
        }
        _threads.Remove(id);
        Answer(s, 0);
        return true;
    }

    // wait(a1 = addr, a2 = expected): sleeps on the caller's own queue, listed under addr, while the word there
    // equals expected. A waker completes the call (0) before waking it, so a handed-off wait does not run again;
    // a wait interrupted otherwise (a signal to a Linux thread) restarts here and re-checks.
    private bool Wait(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        var w = WaiterOf(s);
        w.Waiting = false;                 // a restart after an interruption: its old list entry is stale
        ulong addr = s.Arg1;
        if ((addr & 3) != 0) { Answer(s, -EINVAL); return true; }
        var word = _word.AsSpan(0, 4);
        if (!s.Memory.CopyIn(addr, word)) { Answer(s, -EFAULT); return true; }
        if (BitConverter.ToUInt32(word) != (uint)s.Arg2) { Answer(s, 0); return true; }
        w.Waiting = true;
        ListFor(addr).Enqueue(new Entry(w, ++w.Ticket));
        s.Block(w.Queue);
        return true;
    }

    // wake(a1 = addr, a2 = count): hands up to count waiters on addr their result (0) and wakes them; returns how many.
    private bool Wake(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        long woken = 0;
        if (_lists.TryGetValue(s.Arg1, out var list))
        {
            ulong count = s.Arg2;
            while ((ulong)woken < count && list.TryDequeue(out var e))
            {
                Waiter w = e.Waiter;
                if (!w.Waiting || e.Ticket != w.Ticket || w.Strand.HasExited) continue;
                w.Waiting = false;
                w.Strand.CompleteRestart(0);
                w.Queue.WakeOne();
                woken++;
            }
            if (list.Count == 0) Recycle(s.Arg1, list);
        }
        s.Result = woken;
        return true;
    }

    // self(): the caller's package thread id, 0 for a thread the package did not fork.
    private bool Self(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        if (!IsOwner(s)) return false;
        s.Result = _thread.Get(s) is { } t ? t.Id : 0;
        return true;
    }

    // exit_group from the program (after the personality ended its Linux threads): its package threads end too.
    // Leaves the call's result to the personality.
    private bool OnExitGroup(SyscallTrap trap)
    {
        if (_context is null || !ReferenceEquals(trap.Strand.Context, _context)) return false;
        KillAll();
        return false;
    }

    // A strand ended: a package thread's joiners wake (killed if it did not call exit); a Linux thread of the
    // program killed by a signal takes the package threads with it (a fatal signal ends the whole process).
    private bool OnExited(IUserStrand s)
    {
        if (_context is null || !ReferenceEquals(s.Context, _context)) return false;
        if (_waiters.Remove(s, out var w)) w.Waiting = false;
        if (_thread.Get(s) is { } t)
        {
            if (!t.Done) Finish(t, killed: true);
        }
        else if (s.End.Kind is not StrandEndKind.Exited) KillAll();
        return false;
    }

    // Marks t ended and wakes whoever joins it.
    private static void Finish(PackageThread t, bool killed)
    {
        t.Done = true;
        t.Killed = killed;
        t.Joiners.WakeAll();
    }

    // Kills every package thread still running (blocked ones are woken to retire).
    private void KillAll()
    {
        foreach (var t in _threads.Values)
            if (!t.Done && !t.Strand.HasExited) t.Strand.Kill(SIGKILL);
    }

    // Answers a call that may have blocked before: a restarted call completes its restart, a fresh one just returns.
    private static void Answer(IUserStrand s, long result)
    {
        if (s.RestartingSyscall) s.CompleteRestart(result);
        else s.Result = result;
    }

    // The waiter record of s, made on its first wait.
    private Waiter WaiterOf(IUserStrand s)
    {
        if (_waiters.TryGetValue(s, out var w)) return w;
        w = new Waiter(s, _strands.CreateWaitQueue("cthread-wait"));
        _waiters.Add(s, w);
        return w;
    }

    // The list of waiters on user address addr, made (or reused) on first use.
    private Queue<Entry> ListFor(ulong addr)
    {
        if (_lists.TryGetValue(addr, out var list)) return list;
        list = _spareLists.Count > 0 ? _spareLists.Pop() : new Queue<Entry>();
        _lists.Add(addr, list);
        return list;
    }

    // An empty list goes back to the spares (bounded), so distinct addresses do not pile up lists.
    private void Recycle(ulong addr, Queue<Entry> list)
    {
        _lists.Remove(addr);
        if (_spareLists.Count < MaxLists) _spareLists.Push(list);
    }

    // True if `s` belongs to the program that loaded this extension: the first strand whose context the
    // Translation service accepts (its code page can be examined) is that program's.
    private bool IsOwner(IUserStrand s)
    {
        if (_context is not null) return ReferenceEquals(s.Context, _context);
        if (s.Context is not { } context || !_translation.ExamineMapping(context, s.Pc & ~PageMask, out _)) return false;
        _context = context;
        return true;
    }
}
