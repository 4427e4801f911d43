using System.Net;
using System.Net.Sockets;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Trap;
using Spindle.Machine.Cpu;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Gdb;

/// <summary>
/// A gdb stub for one program (qemu-user's <c>-g PORT</c>): the GDB remote serial protocol on 127.0.0.1, over the
/// first program's strands (its threads; a thread it clones sharing memory is added). Stopping is whole-machine
/// as in qemu-user: while gdb looks at a stopped thread, the CPU's thread serves gdb and nothing else runs.
/// <para>
/// Contract. The user machine calls the hooks (<see cref="Run"/>, <see cref="Faulted"/>, <see cref="Cloned"/>,
/// <see cref="Retired"/>) on the CPU's thread; the stub serves gdb from inside them, so every register and memory
/// access happens on that thread. The program waits for gdb before its first instruction. Breakpoints are
/// <c>ebreak</c>s written into the program's memory (copy-on-write pages are made private first), so the
/// compiled-code cache is dropped whenever one is written or memory is changed.
/// </para>
/// <para>Limitations: no watchpoints (Z2-Z4 answer unsupported); a child forked while breakpoints are inserted
/// inherits them (gdb's fork events are not reported) and is not debugged; a signal passed with C/S is not
/// injected (the fault that stopped the thread takes its ordinary course); after exec the old breakpoints are
/// gone with the old address space.</para>
/// </summary>
public sealed unsafe partial class GdbStub : IDisposable
{
    private const int SigInt = 2, SigIll = 4, SigTrap = 5, SigBus = 10, SigSegv = 11, SigKill = 9, SigAbrt = 6;

    private readonly UserMachine _machine;
    private readonly TcpListener _listener;
    private readonly List<UserStrand> _threads = [];
    private readonly Dictionary<ulong, byte[]> _breakpoints = [];   // address -> the bytes the ebreak replaced
    private GdbConnection? _gdb;
    private UserStrand _current;        // the thread of the last stop (gdb's "current thread")
    private UserStrand _selected;       // Hg: whose registers g/G/p/P read and write
    private UserStrand? _stepping;      // the thread to run one instruction and stop
    private UserStrand? _stopOnEntry;   // stepped over an ecall: stop before its next instruction
    private bool _connected, _detached;
    private int _lastSignal = SigTrap;

    private GdbStub(UserMachine machine, UserStrand first, TcpListener listener)
    {
        _machine = machine;
        _listener = listener;
        _threads.Add(first);
        _current = _selected = first;
    }

    /// <summary>
    /// Listens on 127.0.0.1:<paramref name="port"/> (0: a free port, see <see cref="Port"/>) and attaches the stub to
    /// <paramref name="system"/>'s first program, which then waits for gdb before its first instruction.
    /// Throws <see cref="SocketException"/> if the port cannot be had.
    /// </summary>
    public static GdbStub Attach(RunningSystem system, int port)
    {
        var stub = new GdbStub(system.Kernel.Users, system.FirstStrand, GdbConnection.Listen(port));
        system.Kernel.Users.Debugger = stub;
        return stub;
    }

    /// <summary>The port the stub listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// Runs <paramref name="strand"/> on <paramref name="hart"/> for at most <paramref name="budget"/> instructions,
    /// as <see cref="Hart.Run"/> does, stopping for gdb where it asked (a breakpoint, a single step, an interrupt).
    /// Returns the first trap gdb does not own.
    /// </summary>
    internal Machine.Cpu.Trap Run(UserStrand strand, Hart hart, long budget)
    {
        if (_detached || !_threads.Contains(strand)) return hart.Run(budget);
        if (!_connected) Connect(strand);
        else if (_stopOnEntry == strand || _gdb!.InterruptPending())
        {
            int signal = _stopOnEntry == strand ? SigTrap : SigInt;
            _stopOnEntry = null;
            Stop(strand, signal);
        }
        ulong start = hart.InstructionsRetired;
        while (true)
        {
            long left = budget - (long)(hart.InstructionsRetired - start);
            if (left <= 0) return new Machine.Cpu.Trap(TrapCause.Budget, hart.Registers.Pc);
            bool step = !_detached && _stepping == strand;
            Machine.Cpu.Trap trap = hart.Run(step ? 1 : left);
            if (_detached) return trap;
            if (trap.Cause == TrapCause.Breakpoint && _breakpoints.ContainsKey(trap.Pc))
            {
                hart.Registers.Pc = trap.Pc;
                Stop(strand, SigTrap);
                continue;
            }
            if (step)
            {
                _stepping = null;
                if (trap.Cause == TrapCause.Budget)
                {
                    Stop(strand, SigTrap);
                    continue;
                }
                if (trap.Cause == TrapCause.Ecall) _stopOnEntry = strand;
            }
            return trap;
        }
    }

    /// <summary>A fault nobody resolved is about to be offered to the personality: gdb sees it first, as a signal.</summary>
    internal void Faulted(UserStrand strand, FaultKind kind)
    {
        if (_detached || !_connected || !_threads.Contains(strand)) return;
        _stepping = null;
        Stop(strand, kind switch
        {
            FaultKind.PageFault => SigSegv,
            FaultKind.IllegalInstruction => SigIll,
            FaultKind.Breakpoint => SigTrap,
            _ => SigBus,
        });
    }

    /// <summary><paramref name="parent"/> made <paramref name="child"/>; a thread sharing a debugged program's memory is debugged too.</summary>
    internal void Cloned(UserStrand parent, UserStrand child, bool sharedMemory)
    {
        if (!_detached && sharedMemory && _threads.Contains(parent)) _threads.Add(child);
    }

    /// <summary>A strand ended; when the program's last thread has, gdb is told how it ended and let go.</summary>
    internal void Retired(UserStrand strand)
    {
        if (_detached || !_threads.Remove(strand)) return;
        if (_stepping == strand) _stepping = null;
        if (_stopOnEntry == strand) _stopOnEntry = null;
        if (_threads.Count > 0)
        {
            if (_current == strand) _current = _threads[0];
            if (_selected == strand) _selected = _threads[0];
            return;
        }
        StrandEnd end = strand.End;
        string reply = end.Kind switch
        {
            StrandEndKind.Exited => $"W{end.Code & 0xff:x2}",
            StrandEndKind.Killed => $"X{end.Code & 0xff:x2}",
            StrandEndKind.Faulted => end.Fault switch
            {
                FaultKind.PageFault => $"X{SigSegv:x2}",
                FaultKind.IllegalInstruction => $"X{SigIll:x2}",
                FaultKind.Breakpoint => $"X{SigTrap:x2}",
                _ => $"X{SigBus:x2}",
            },
            _ => $"X{SigAbrt:x2}",
        };
        if (_connected) _gdb!.Send(reply);
        _breakpoints.Clear();               // the address space is gone with its ebreaks
        LetGo();
    }

    // Waits for gdb, then serves it until it resumes the program (the program has not run an instruction).
    private void Connect(UserStrand first)
    {
        _gdb = GdbConnection.Accept(_listener);
        _connected = true;
        _current = _selected = first;
        Serve();
    }

    // The program stops: gdb is told why and served until it resumes.
    private void Stop(UserStrand strand, int signal)
    {
        _current = _selected = strand;
        _lastSignal = signal;
        if (!_gdb!.Send(StopReply())) { LetGo(); return; }
        Serve();
    }

    // Stops debugging: breakpoints out, the connection closed, the program runs on unwatched.
    private void LetGo()
    {
        RemoveAllBreakpoints();
        _detached = true;
        _stepping = _stopOnEntry = null;
        _gdb?.Dispose();
        _listener.Stop();
    }

    public void Dispose()
    {
        _gdb?.Dispose();
        _listener.Stop();
    }
}
