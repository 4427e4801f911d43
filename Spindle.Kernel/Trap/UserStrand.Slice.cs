using System.Runtime.CompilerServices;
using Spindle.Kernel.Strand;
using Spindle.Machine.Cpu;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Translation;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Trap;

// The trap loop of one slice, and the blocking contract (Block with restart, Now, SignalPending).
public sealed unsafe partial class UserStrand
{
    // A Block request made by the running system call, acted on when the handler returns.
    private bool _blockRequested;
    private IWaitQueue? _blockQueue;
    private long _blockDeadline;
    private ulong _ecallA0;
    private bool _signalPending;
    private bool _yieldRequested;

    public long Now => _machine.Scheduler.Clock.Now;

    public bool RestartingSyscall { get; private set; }

    /// <inheritdoc/>
    public void Block(IWaitQueue? queue, long deadlineNs = -1)
    {
        _blockRequested = true;
        _blockQueue = queue;
        _blockDeadline = deadlineNs;
    }

    /// <inheritdoc/>
    public void Yield() => _yieldRequested = true;

    /// <inheritdoc/>
    public bool SignalPending
    {
        get => _signalPending;
        set
        {
            _signalPending = value;
            if (value) WakeIfBlocked();
        }
    }

    /// <inheritdoc/>
    public void CompleteRestart(long result)
    {
        if (!RestartingSyscall) return;
        RestartingSyscall = false;
        Regs.Pc += 4;
        Regs.X[RegisterFile.A0] = (ulong)result;
    }

    // A blocked strand is made ready so that its next slice retries its call (or retires it).
    private void WakeIfBlocked()
    {
        if (Handle is StrandControl c && c.State == StrandState.Blocked) _machine.Scheduler.Wake(c, timedOut: false);
    }

    /// <summary>
    /// The strand's <see cref="UserSlice"/>: puts its context on the hart and runs it for at most
    /// <paramref name="budget"/> instructions, handling ecalls and faults through the trap events,
    /// until the budget runs out, it blocks, or it ends. A kernel exception aborts the strand (<see cref="StrandEndKind.Aborted"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal SliceResult RunSlice(StrandHandle self, long budget)
    {
        var hart = _machine.Hart;
        hart.Registers = _saved;
        if (hart.PageTable != Space.PageTable) hart.PageTable = Space.PageTable;
        _onHart = true;
        long used = 0;
        SliceOutcome outcome;
        try { outcome = Loop(self, hart, budget, ref used); }
        catch (Exception e)
        {
            KernelError = e;
            Finish(new StrandEnd(StrandEndKind.Aborted));
            outcome = SliceOutcome.Exited;
        }
        finally
        {
            _saved = hart.Registers;
            _onHart = false;
        }
        if (outcome == SliceOutcome.Exited) Retire();
        _machine.Tick?.Invoke();
        return new SliceResult(outcome, Math.Min(used, budget));
    }

    // Runs until the slice ends; returns how. Optimized at once, as the ecall path below (no tiering).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SliceOutcome Loop(StrandHandle self, Hart hart, long budget, ref long used)
    {
        while (true)
        {
            if (_signalPending && !HasExited) ReturnToUser();
            if (HasExited) return SliceOutcome.Exited;
            if (used >= budget) return SliceOutcome.Preempted;
            ulong before = hart.InstructionsRetired;
            Machine.Cpu.Trap trap = hart.Run(budget - used);
            used += (long)(hart.InstructionsRetired - before);
            switch (trap.Cause)
            {
                case TrapCause.Ecall:
                    if (Syscall(trap.Pc) && !HasExited && Park(self)) return SliceOutcome.Blocked;
                    if (_yieldRequested && !HasExited) { _yieldRequested = false; return SliceOutcome.Yielded; }
                    break;
                case TrapCause.Budget:
                    return SliceOutcome.Preempted;
                default:
                    Fault(trap);
                    break;
            }
        }
    }

    // Raises the system-call event for the ecall at pc; true if the call asked to block.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Syscall(ulong pc)
    {
        ref RegisterFile r = ref _machine.Hart.Registers;
        _ecallA0 = r.X[RegisterFile.A0];
        r.Pc = pc + 4;
        RestartingSyscall = false;
        _blockRequested = _yieldRequested = false;
        _machine.Traps.Syscall.Raise(new SyscallTrap((long)r.X[RegisterFile.A7], this));
        if (!_blockRequested) return false;
        _blockRequested = false;
        r.Pc = pc;                              // run the call again when woken
        r.X[RegisterFile.A0] = _ecallA0;
        RestartingSyscall = true;
        return true;
    }

    // Waits as the blocked call asked, unless a signal is pending (then the call restarts after delivery).
    private bool Park(StrandHandle self)
    {
        if (_signalPending) return false;
        long timeout = _blockDeadline < 0 ? -1 : Math.Max(0, _blockDeadline - Now);
        var queue = _blockQueue;
        _blockQueue = null;
        if (queue != null) queue.Wait(self, timeout);
        else if (timeout >= 0) _machine.Scheduler.Sleep(self, timeout);
        else throw new InvalidOperationException($"{this}: blocked on no queue and no deadline");
        return true;
    }

    // SignalPending: the personality delivers signals (or ends the strand). Unhandled: nothing to deliver.
    private void ReturnToUser()
    {
        if (!_machine.Traps.ReturnToUser.Raise(this)) _signalPending = false;
    }

    // A fault: a page fault the Translation service resolves (copy-on-write, demand paging) reruns the
    // instruction; anything else is offered to the fault event's handlers, and unhandled ends the strand as Faulted.
    private void Fault(Machine.Cpu.Trap trap)
    {
        if (trap.Cause == TrapCause.PageFault && _machine.Translation.HandleFault(Space, trap) == FaultResult.Resolved)
        {
            Regs.Pc = trap.Pc;
            return;
        }
        var kind = trap.Cause switch
        {
            TrapCause.PageFault => FaultKind.PageFault,
            TrapCause.IllegalInstruction => FaultKind.IllegalInstruction,
            TrapCause.Breakpoint => FaultKind.Breakpoint,
            _ => FaultKind.Misaligned,
        };
        Regs.Pc = trap.Pc;
        bool mapped = trap.Cause == TrapCause.PageFault && Space.PageTable.TryGet(trap.Address & ~0xfffUL, out _);
        var fault = new UserFault(kind, this, trap.Address, trap.Access is AccessKind.Write, trap.Access is AccessKind.Execute, mapped);
        LastFault = trap;
        if (!_machine.Traps.Fault.Raise(fault)) Finish(new StrandEnd(StrandEndKind.Faulted, Fault: kind));
    }

    // The strand is done: its address space reference goes, and the machine forgets it.
    private void Retire()
    {
        _machine.Traps.Exited.Raise(this);
        _space.Release();
        _machine.Retired(this);
    }
}
