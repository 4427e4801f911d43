using System.Collections.Generic;
using Spindle.Sdk;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;
using Spindle.Sdk.Translation;

namespace Spindle.Extensions.Examples;

/// <summary>
/// SPIN's cross-address-space call, LRPC-like: a server process creates a port and waits on it; a client process
/// calls it with three register arguments and blocks; the kernel puts the arguments straight into the waiting
/// server's registers and makes it runnable; the server's reply goes straight into the client's a0 and, in the same
/// system call, the server waits for the next call. No message is copied through memory and nothing is allocated per
/// call. Every call has a0 = -ENOSYS (left there if the extension is not loaded) and its arguments in a1-a4:
/// <list type="bullet">
/// <item><c>1020 create(name)</c>: a new port registered under the integer <c>name</c>, owned by the caller's address
/// space; returns a handle, -EADDRINUSE if a live port has that name, -EMFILE if the caller's table is full.</item>
/// <item><c>1021 connect(name)</c>: a handle to the port registered as <c>name</c> in the caller's table, or
/// -ECONNREFUSED if there is none.</item>
/// <item><c>1022 call(handle, x, y, z)</c>: runs the port's server with x, y, z; returns its reply value. -EBADF for
/// a handle the caller's address space does not hold (never issued, closed, another process's number);
/// -ECONNREFUSED if the port's server is gone before it took the call; -EPIPE if it died while serving it.</item>
/// <item><c>1023 wait(handle)</c>: (server) blocks until a call comes; returns 0 with the call's x, y, z in a1-a3.
/// -EBADF for a bad handle, -EPERM for a port the caller's address space does not own.</item>
/// <item><c>1024 reply_wait(handle, value)</c>: (server) returns <c>value</c> to the caller it is serving, then
/// waits as 1023 does (with no call in service it only waits).</item>
/// <item><c>1025 close(handle)</c>: revokes the handle (0, or -EBADF); closed by its owner the port dies: callers
/// waiting for it get -ECONNREFUSED, the one in service -EPIPE.</item>
/// </list>
/// Handles are capabilities: generation-tagged indices into a table per address space, so a stale or forged number
/// names nothing, and one process's numbers mean nothing in another (a forked child holds none; it connects by
/// name). A port dies with its owner's address space. Blocking uses the restart model: a waiting strand is parked
/// on its own wait queue with its ecall to be rerun; handing it a call or a reply completes that ecall
/// (<see cref="IUserStrand.CompleteRestart"/>) and wakes it, so it resumes past the ecall without rerunning it.
/// One loaded instance serves every process (its handlers answer whoever calls), so a program loads it once and
/// forks its servers and clients; it is unloaded with that program, and a call parked in it then fails with -ENOSYS.
/// </summary>
public sealed class CrossCall : IExtension
{
    /// <summary>The create call's number; connect, call, wait, reply_wait and close follow it.</summary>
    public const long Number = 1020;

    private const long ConnectCall = Number + 1, CallCall = Number + 2, WaitCall = Number + 3, ReplyWaitCall = Number + 4, CloseCall = Number + 5;
    private const long EPERM = 1, EBADF = 9, EMFILE = 24, EPIPE = 32, EADDRINUSE = 98, ECONNREFUSED = 111;
    private const int A1 = 11, A2 = 12, A3 = 13;

    private IStrandService _strands = null!;
    private readonly Dictionary<IUserStrand, Peer> _peers = new();
    private readonly Dictionary<TranslationContext, HandleTable> _tables = new();
    private readonly Dictionary<long, Port> _names = new();

    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        _strands = context.Import<IStrandService>();
        var traps = context.Import<ITrapEvents>();
        var d = context.Dispatcher;
        d.Install(traps.Syscall, Create, t => t.Number == Number);
        d.Install(traps.Syscall, Connect, t => t.Number == ConnectCall);
        d.Install(traps.Syscall, Call, t => t.Number == CallCall);
        d.Install(traps.Syscall, Wait, t => t.Number == WaitCall);
        d.Install(traps.Syscall, ReplyWait, t => t.Number == ReplyWaitCall);
        d.Install(traps.Syscall, Close, t => t.Number == CloseCall);
        d.Install(traps.Exited, OnExited);
        d.Install(context.Import<ILifecycleEvents>().SpaceReleased, OnSpaceReleased);
    }

    // ---- the calls ----

    // create(a1 = name): a handle to a new port owned by the caller's address space.
    private bool Create(SyscallTrap trap)
    {
        var peer = PeerOf(trap.Strand);
        if (peer is null) return false;
        long name = (long)trap.Strand.Arg1;
        if (_names.TryGetValue(name, out var old) && !old.Dead) { trap.Strand.Result = -EADDRINUSE; return true; }
        var port = new Port(name, peer.Context);
        long handle = peer.Table.Add(port);
        if (handle < 0) { trap.Strand.Result = -EMFILE; return true; }
        _names[name] = port;
        trap.Strand.Result = handle;
        return true;
    }

    // connect(a1 = name): a handle in the caller's table to the live port of that name.
    private bool Connect(SyscallTrap trap)
    {
        var peer = PeerOf(trap.Strand);
        if (peer is null) return false;
        if (!_names.TryGetValue((long)trap.Strand.Arg1, out var port) || port.Dead) { trap.Strand.Result = -ECONNREFUSED; return true; }
        long handle = peer.Table.Add(port);
        trap.Strand.Result = handle < 0 ? -EMFILE : handle;
        return true;
    }

    // call(a1 = handle, a2..a4 = x, y, z): hands the call to an idle server, or queues it; blocks for the reply.
    private bool Call(SyscallTrap trap)
    {
        IUserStrand s = trap.Strand;
        var peer = PeerOf(s);
        if (peer is null) return false;
        var port = peer.Table.Get(s.Arg1);
        if (port is null) { s.Result = -EBADF; return true; }
        if (peer.CallingOn is not null)
        {
            if (IsRestartOf(peer, port, s))
            {
                // Woken without a reply (a signal, or the server's process lost a strand): wait on, unless the port died.
                if (!port.Dead) { peer.Park(); return true; }
                bool served = peer.Served;
                peer.CallingOn = null;
                s.Result = served ? -EPIPE : -ECONNREFUSED;
                return true;
            }
            Abandon(peer);                  // an earlier call ended without its reply (EINTR): forget it
        }
        if (port.Dead) { s.Result = -ECONNREFUSED; return true; }
        (peer.CallingOn, peer.X, peer.Y, peer.Z, peer.Served) = (port, s.Arg2, s.Arg3, s.Arg4, false);
        var server = port.TakeIdleServer();
        if (server is not null)
        {
            Deliver(server, peer);
            server.Strand.CompleteRestart(0);
            server.Queue.WakeOne();
        }
        else port.Pending.Enqueue(peer);
        peer.Park();
        return true;
    }

    // wait(a1 = handle): the next call's x, y, z in a1-a3 and 0 in a0, blocking until one comes.
    private bool Wait(SyscallTrap trap) => Serve(trap, reply: false);

    // reply_wait(a1 = handle, a2 = value): replies to the call in service, then waits as wait does.
    private bool ReplyWait(SyscallTrap trap) => Serve(trap, reply: true);

    // Both server calls: reply (if asked and a call is in service), then take a queued call or park idle.
    private bool Serve(SyscallTrap trap, bool reply)
    {
        IUserStrand s = trap.Strand;
        var peer = PeerOf(s);
        if (peer is null) return false;
        var port = peer.Table.Get(s.Arg1);
        if (port is null) { s.Result = -EBADF; return true; }
        if (!ReferenceEquals(port.Owner, peer.Context)) { s.Result = -EPERM; return true; }
        if (reply && peer.Serving is { } caller) Reply(peer, caller, (long)s.Arg2);
        if (peer.IdleOn == port) { peer.Park(); return true; }    // rerun after a wake-up with no call
        if (peer.IdleOn is { } other) { other.Idle.Remove(peer); peer.IdleOn = null; }   // left an earlier wait (EINTR)
        var next = port.TakePending();
        if (next is not null)
        {
            Deliver(peer, next);
            s.Result = 0;
            return true;
        }
        peer.IdleOn = port;
        port.Idle.Enqueue(peer);
        peer.Park();
        return true;
    }

    // close(a1 = handle): revokes the caller's handle; the owner's close kills the port.
    private bool Close(SyscallTrap trap)
    {
        var peer = PeerOf(trap.Strand);
        if (peer is null) return false;
        var port = peer.Table.Remove(trap.Strand.Arg1);
        if (port is null) { trap.Strand.Result = -EBADF; return true; }
        if (ReferenceEquals(port.Owner, peer.Context)) Kill(port);
        trap.Strand.Result = 0;
        return true;
    }

    // ---- hand-off ----

    // Puts caller's arguments in server's a1-a3 (server is blocked on wait, or running its own wait call).
    private static void Deliver(Peer server, Peer caller)
    {
        server.Serving = caller;
        server.IdleOn = null;
        caller.Served = true;
        server.Strand.SetRegister(A1, caller.X);
        server.Strand.SetRegister(A2, caller.Y);
        server.Strand.SetRegister(A3, caller.Z);
    }

    // Ends caller's call with `value` in its a0 and wakes it; nothing if it stopped waiting (EINTR, exit).
    private static void Reply(Peer server, Peer caller, long value)
    {
        server.Serving = null;
        caller.CallingOn = null;
        if (!caller.IsParked) return;
        caller.Strand.CompleteRestart(value);
        caller.Queue.WakeOne();
    }

    // True if s is rerunning the blocked call peer made (same ecall, port and arguments).
    private static bool IsRestartOf(Peer peer, Port port, IUserStrand s) =>
        peer.CallingOn == port && peer.ParkedPc == s.Pc && peer.X == s.Arg2 && peer.Y == s.Arg3 && peer.Z == s.Arg4;

    // peer's call is over without a reply: out of its port's queue, or no longer expected by its server.
    private void Abandon(Peer peer)
    {
        var port = peer.CallingOn!;
        peer.CallingOn = null;
        if (!peer.Served) { port.Pending.Remove(peer); return; }
        foreach (var server in _peers.Values)
            if (server.Serving == peer) server.Serving = null;
    }

    // ---- lifetime ----

    // Kills port: callers waiting get -ECONNREFUSED, the ones in service -EPIPE, its idle servers -EBADF.
    private void Kill(Port port)
    {
        if (port.Dead) return;
        port.Dead = true;
        if (_names.TryGetValue(port.Name, out var named) && named == port) _names.Remove(port.Name);
        while (port.TakePending() is { } caller) Fail(caller, -ECONNREFUSED);
        foreach (var server in _peers.Values)
            if (server.Serving is { } c && c.CallingOn == port) { server.Serving = null; Fail(c, -EPIPE); }
        while (port.TakeIdleServer() is { } server) { server.IdleOn = null; server.Strand.CompleteRestart(-EBADF); server.Queue.WakeOne(); }
    }

    // Ends a blocked caller's call with `error`.
    private static void Fail(Peer caller, long error)
    {
        caller.CallingOn = null;
        if (!caller.IsParked) return;
        caller.Strand.CompleteRestart(error);
        caller.Queue.WakeOne();
    }

    // A strand ended: its call in service fails (-EPIPE), its queued call and idle wait go. Then every strand parked
    // here reruns its call once this strand is gone: a caller whose server's address space died gets its error, and if
    // the ending strand was the last of the program that loaded this extension (which is unloaded with it), the rerun
    // calls find no extension and fail with -ENOSYS instead of waiting for ever. The others park again.
    private bool OnExited(IUserStrand strand)
    {
        if (_peers.Remove(strand, out var peer))
        {
            if (peer.Serving is { } caller) { peer.Serving = null; Fail(caller, -EPIPE); }
            if (peer.CallingOn is not null) Abandon(peer);
            if (peer.IdleOn is { } idle) { idle.Idle.Remove(peer); peer.IdleOn = null; }
        }
        foreach (var parked in _peers.Values)
            if (parked.IsParked) parked.Queue.WakeOne();
        return false;                       // other handlers (the personality) tear down their state too
    }

    // An address space is gone: its ports die (callers waiting get -ECONNREFUSED, the one in service -EPIPE) and its
    // handle table goes.
    private bool OnSpaceReleased(TranslationContext context)
    {
        List<Port>? owned = null;
        foreach (var port in _names.Values) if (ReferenceEquals(port.Owner, context)) (owned ??= []).Add(port);
        if (owned is not null) foreach (var port in owned) Kill(port);
        _tables.Remove(context);
        return true;
    }

    // The caller's record (created on its first call), bound to its current address space's handle table; null for
    // a strand with no translation context (then the call is left to others).
    private Peer? PeerOf(IUserStrand s)
    {
        if (s.Context is not { } context) return null;
        if (_peers.TryGetValue(s, out var peer) && ReferenceEquals(peer.Context, context)) return peer;
        var table = TableOf(context);
        if (peer is null) _peers[s] = peer = new Peer(s, context, table, _strands.CreateWaitQueue($"xcall {s.Id}"));
        else (peer.Context, peer.Table) = (context, table);   // the strand ran execve: the old handles are gone
        return peer;
    }

    // The handle table of context (made at its first use; dropped when the address space is released).
    private HandleTable TableOf(TranslationContext context)
    {
        if (!_tables.TryGetValue(context, out var table)) _tables[context] = table = new HandleTable();
        return table;
    }

    /// <summary>A strand using ports: its wait queue, the call it makes (client) and the call it serves (server).</summary>
    private sealed class Peer(IUserStrand strand, TranslationContext context, HandleTable table, IWaitQueue queue)
    {
        public readonly IUserStrand Strand = strand;
        public readonly IWaitQueue Queue = queue;   // the strand parks here, as a caller or an idle server
        public TranslationContext Context = context;
        public HandleTable Table = table;
        // Client: the call in progress (null if none), its arguments, and whether a server took it.
        public Port? CallingOn;
        public ulong X, Y, Z;
        public bool Served;
        // Server: the call in service, and the port it waits on idle.
        public Peer? Serving;
        public Port? IdleOn;
        // The pc past the ecall the strand parked in (as a caller or an idle server).
        public ulong ParkedPc;

        // True while the strand is blocked in the call it parked in here (not ended, not gone on to another call).
        public bool IsParked => !Strand.HasExited && Strand.RestartingSyscall && Strand.Pc + 4 == ParkedPc;

        // Parks the running strand (in a call whose pc past the ecall is s.Pc) on its queue.
        public void Park()
        {
            ParkedPc = Strand.Pc;
            Strand.Block(Queue);
        }
    }

    /// <summary>A port: its owner's address space, its name, calls not yet taken and servers waiting idle.</summary>
    private sealed class Port(long name, TranslationContext owner)
    {
        public readonly long Name = name;
        public readonly TranslationContext Owner = owner;
        public readonly PeerQueue Pending = new(), Idle = new();
        public bool Dead;   // closed by its owner, or its owner's address space was released

        // The next queued caller still blocked on its call, or null.
        public Peer? TakePending()
        {
            while (Pending.Dequeue() is { } c)
                if (c.IsParked) return c;
                else c.CallingOn = null;
            return null;
        }

        // The next idle server still blocked on its wait, or null.
        public Peer? TakeIdleServer()
        {
            while (Idle.Dequeue() is { } s)
                if (s.IsParked) return s;
                else s.IdleOn = null;
            return null;
        }
    }

    /// <summary>A FIFO of peers (a ring buffer: no allocation once grown).</summary>
    private sealed class PeerQueue
    {
        private Peer?[] _items = new Peer?[4];
        private int _head, _count;

        // Appends p, doubling the ring when it is full.
        public void Enqueue(Peer p)
        {
            if (_count == _items.Length)
            {
                var grown = new Peer?[_items.Length * 2];
                for (int i = 0; i < _count; i++) grown[i] = _items[(_head + i) % _items.Length];
                (_items, _head) = (grown, 0);
            }
            _items[(_head + _count++) % _items.Length] = p;
        }

        // The oldest peer, removed; null if empty.
        public Peer? Dequeue()
        {
            if (_count == 0) return null;
            var p = _items[_head];
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            return p;
        }

        // Removes p if queued, keeping the order of the others (rare: a call given up, a server gone).
        public void Remove(Peer p)
        {
            int n = _count;
            for (int i = 0; i < n; i++)
            {
                var q = Dequeue()!;
                if (q != p) Enqueue(q);
            }
        }
    }

    /// <summary>
    /// Handles of one address space: generation &lt;&lt; 16 | slot, slot 0 never used; revoking bumps the slot's
    /// generation (a 47-bit count that no run reaches), so a revoked number never names a port again.
    /// </summary>
    private sealed class HandleTable
    {
        private const int SlotBits = 16, Slots = 256;
        private readonly Port?[] _ports = new Port?[Slots];
        private readonly long[] _generations = new long[Slots];

        // A new handle for port, or -1 when the table is full.
        public long Add(Port port)
        {
            for (int i = 1; i < Slots; i++)
                if (_ports[i] is null) { _ports[i] = port; return _generations[i] << SlotBits | (long)i; }
            return -1;
        }

        // The port handle names (perhaps dead: calls on it then fail), or null.
        public Port? Get(ulong handle) => TrySlot(handle, out int slot) ? _ports[slot] : null;

        // Revokes handle; returns its port, or null if it named none.
        public Port? Remove(ulong handle)
        {
            if (!TrySlot(handle, out int slot) || _ports[slot] is not { } port) return null;
            Free(slot);
            return port;
        }

        // True if handle is a slot's current number (issued and not revoked since); slot is its index.
        private bool TrySlot(ulong handle, out int slot)
        {
            slot = (int)(handle & ((1UL << SlotBits) - 1));
            return slot is > 0 and < Slots && handle >> SlotBits == (ulong)_generations[slot];
        }

        // Empties slot and makes the numbers issued for it stale.
        private void Free(int slot)
        {
            _ports[slot] = null;
            _generations[slot]++;
        }
    }
}
