using System.Diagnostics;
using System.Runtime.CompilerServices;
using Spindle.Kernel.Strand;
using Spindle.Machine.Cpu;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Translation;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Trap;

// The trap loop of one slice, and the two ways a call waits: Block (restart: the call runs again when woken)
// and Suspend (continuation: the strand waits past its ecall and a continuation finishes the call). Contract:
// the CPU's thread only; a wait request made by a handler (or a continuation) is acted on when it returns.
public sealed unsafe partial class UserStrand
{
    // A wait request made by the running system call (or continuation), acted on when it returns.
    private bool _blockRequested;
    private IWaitQueue? _blockQueue;
    private long _blockDeadline;
    private SyscallContinuation? _suspendRequest;   // set: the request is Suspend's, not Block's
    private ulong _ecallA0, _ecallPc;
    private SyscallContinuation? _suspended;        // the continuation of the call the strand waits in
    private bool _resumingForSignal;
    private bool _signalPending;
    private bool _yieldRequested;
    private IWaitQueue? _stopQueue;   // Stop's request, made by the return-to-user handler

    public long Now => _machine.Scheduler.Clock.Now;

    public bool RestartingSyscall { get; private set; }

    /// <inheritdoc/>
    public void Block(IWaitQueue? queue, long deadlineNs = -1)
    {
        _blockRequested = true;
        _blockQueue = queue;
        _blockDeadline = deadlineNs;
        _suspendRequest = null;
    }

    /// <inheritdoc/>
    public void Suspend(IWaitQueue? queue, long deadlineNs, SyscallContinuation continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (queue == null && deadlineNs < 0) throw new StrandException($"{this}: Suspend with no queue and no deadline would never wake");
        if (_resumingForSignal) throw new StrandException($"{this}: {continuation} suspended again while resumed for a signal");
        Block(queue, deadlineNs);
        _suspendRequest = continuation;
    }

    /// <inheritdoc/>
    public bool Suspended => _suspended != null;

    /// <inheritdoc/>
    public void Stop(IWaitQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _stopQueue = queue;
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
            if (_suspended != null && !HasExited && ResumeCall(self)) return SliceOutcome.Blocked;
            if (_signalPending && !HasExited && ReturnToUser(self)) return SliceOutcome.Blocked;
            if (HasExited) return SliceOutcome.Exited;
            if (used >= budget) return SliceOutcome.Preempted;
            ulong before = hart.InstructionsRetired;
            Machine.Cpu.Trap trap = _machine.Debugger is { } debugger ? debugger.Run(this, hart, budget - used) : hart.Run(budget - used);
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
        _ecallPc = pc;
        r.Pc = pc + 4;
        RestartingSyscall = false;
        _blockRequested = _yieldRequested = false;
        _machine.Traps.Syscall.Raise(new SyscallTrap((long)r.X[RegisterFile.A7], this));
        if (!_blockRequested) return false;
        TakeWaitRequest();
        return true;
    }

    // The call asked to wait: Suspend keeps pc past the ecall and remembers the continuation; Block puts pc back on
    // the ecall (run the call again when woken). Either way a0 is the first argument again while the strand waits.
    private void TakeWaitRequest()
    {
        Debug.Assert(_suspended == null, "one suspended call at a time");
        ref RegisterFile r = ref Regs;
        _blockRequested = false;
        r.X[RegisterFile.A0] = _ecallA0;
        if (_suspendRequest != null)
        {
            _suspended = _suspendRequest;
            _suspendRequest = null;
            return;
        }
        r.Pc = _ecallPc;
        RestartingSyscall = true;
    }

    // The strand was woken in a suspended call (or a signal is pending): runs its continuation, which finishes the
    // call (a0 = its result), hands it to the restart model (Restart), or waits again. True if the strand waits again.
    private bool ResumeCall(StrandHandle self)
    {
        Debug.Assert(!RestartingSyscall && Regs.Pc == _ecallPc + 4, "a suspended call waits past its ecall");
        var continuation = _suspended!;
        _suspended = null;
        var reason = _signalPending ? WakeReason.Interrupted : self.TimedOut ? WakeReason.TimedOut : WakeReason.Woken;
        _blockRequested = false;
        _suspendRequest = null;
        _resumingForSignal = reason == WakeReason.Interrupted;
        long result;
        try { result = continuation.Resume(this, reason); }
        finally { _resumingForSignal = false; }
        if (HasExited) return false;
        if (_blockRequested)
        {
            TakeWaitRequest();
            return Park(self);
        }
        ref RegisterFile r = ref Regs;
        if (result != SyscallContinuation.Restart) r.X[RegisterFile.A0] = (ulong)result;
        else
        {
            r.Pc = _ecallPc;
            RestartingSyscall = true;
        }
        return false;
    }

    // Waits as the blocked call asked, unless a signal is pending (then a restarting call restarts after delivery,
    // a suspended one's continuation runs at once, interrupted).
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
    // True if the handler stopped the strand (Stop): it waits on the stop queue, pending signals or not.
    private bool ReturnToUser(StrandHandle self)
    {
        _stopQueue = null;
        if (!_machine.Traps.ReturnToUser.Raise(this)) _signalPending = false;
        if (_stopQueue is not { } queue || HasExited) return false;
        _stopQueue = null;
        queue.Wait(self, -1);
        return true;
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
        _machine.Debugger?.Faulted(this, kind);
        if (!_machine.Traps.Fault.Raise(fault)) Finish(new StrandEnd(StrandEndKind.Faulted, Fault: kind));
    }

    // The strand is done: its address space reference goes, and the machine forgets it.
    private void Retire()
    {
        _suspended = null;                      // a call the strand waited in ends with it, unresumed
        _machine.Traps.Exited.Raise(this);
        _machine.Debugger?.Retired(this);
        _space.Release(_machine);
        _machine.Retired(this);
    }
}
