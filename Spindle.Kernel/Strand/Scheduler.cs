using System.Runtime.CompilerServices;
using Spindle.Kernel.Dispatcher;
using Spindle.Machine.Devices;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Runtime;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Strand;

/// <summary>
/// The global scheduler of one emulated CPU. Every strand runs on the CPU's one host thread: a
/// context switch runs the next strand's slice (a user strand's slice callback, or a kernel strand's
/// stored continuation) and never switches or blocks host threads. The only host wait is the idle
/// path: the <see cref="Bell"/> (an interrupt line was raised) or the next timer. Before each slice the
/// scheduler drains the machine's <see cref="Lines"/>, running the handler of every raised line. The
/// ready queue belongs to the installed <see cref="ISchedulerPolicy"/>; round-robin with priorities is
/// the default. Call everything on the CPU's thread (the first thread to run it); devices raise
/// lines from any thread.
/// </summary>
public sealed partial class Scheduler
{
    /// <summary>Round-robin's slice: instructions a user strand runs before it is preempted; long enough to amortize a
    /// switch, short enough to interleave processes. The one default (<see cref="Boot.KernelOptions"/> uses it too).</summary>
    public const long DefaultSlice = 200_000;

    private readonly List<StrandControl> _live = [];
    private readonly TimerQueue _timers = new();
    private readonly IHandlerOwner _self = new KernelOwner("strand");
    private readonly Action<int, Exception> _interruptFault;
    private StrandControl? _current;
    private int _ready;            // strands the policy holds
    private int _nextId = 1;
    private int _cpuThread;        // managed id of the CPU's thread, 0 until it first runs

    /// <summary>
    /// Creates a scheduler whose events are declared on <paramref name="dispatcher"/>, timed by
    /// <paramref name="clock"/> (host clock if null), whose policy installs <paramref name="authorizer"/>
    /// decides (default: only trusted domains), whose round-robin slice is <paramref name="slice"/>, and
    /// whose interrupts come on <paramref name="lines"/> (a controller of its own if null).
    /// </summary>
    public Scheduler(Dispatcher.Dispatcher dispatcher, MachineClock? clock = null, PolicyAuthorizer? authorizer = null,
        long slice = DefaultSlice, InterruptLines? lines = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slice);
        Clock = clock ?? new HostMachineClock();
        Lines = lines ?? new InterruptLines();
        _interruptFault = (_, e) => _self.ChargeFault(e);
        _authorizer = authorizer ?? PrivilegedOnly;
        _roundRobin = new RoundRobinPolicy(slice);
        _policy = _roundRobin;
        Func<StrandTransition, bool> notify = static _ => true;
        Block = dispatcher.Declare(_self, "Strand.Block", notify, out _);
        Unblock = dispatcher.Declare(_self, "Strand.Unblock", notify, out _);
        Checkpoint = dispatcher.Declare(_self, "Strand.Checkpoint", notify, out _);
        Resume = dispatcher.Declare(_self, "Strand.Resume", notify, out _);
    }

    // The events. The kernel makes each transition itself and then raises the event, so a raise by anyone
    // else only reaches handlers; the intrinsic handler is the notification point and does nothing.

    /// <summary>Raised after a strand blocked (it is Blocked and on its queue or timer).</summary>
    public Event<StrandTransition, bool> Block { get; }

    /// <summary>Raised after a blocked strand was woken (it is Ready, or Running if woken during its own slice).</summary>
    public Event<StrandTransition, bool> Unblock { get; }

    /// <summary>Raised when a strand stops running, before the scheduler decides what becomes of it.</summary>
    public Event<StrandTransition, bool> Checkpoint { get; }

    /// <summary>Raised when a strand starts running (it is Current and Running).</summary>
    public Event<StrandTransition, bool> Resume { get; }

    /// <summary>The clock timers run on.</summary>
    public MachineClock Clock { get; }

    /// <summary>The machine's interrupt lines, drained before every slice.</summary>
    public InterruptLines Lines { get; }

    /// <summary>The lines' doorbell: raising a line rings it; the idle CPU waits on it.</summary>
    public Doorbell Bell => Lines.Bell;

    /// <summary>The running strand, or null between slices.</summary>
    public StrandHandle? Current => _current;

    /// <summary>Strands created and not yet done.</summary>
    public int LiveCount => _live.Count;

    /// <summary>Strands on the ready queue.</summary>
    public int ReadyCount => _ready;

    /// <summary>Slices run so far (context switches).</summary>
    public long Switches { get; private set; }

    /// <summary>Strand bodies that faulted so far.</summary>
    public int StrandFaults { get; private set; }

    /// <summary>An <see cref="IStrandService"/> acting for <paramref name="owner"/>: what a domain is handed.</summary>
    public IStrandService For(IHandlerOwner owner) => new StrandService(this, owner ?? throw new ArgumentNullException(nameof(owner)));

    /// <summary>Creates a ready kernel strand for <paramref name="owner"/> (charged with its faults).</summary>
    public StrandHandle SpawnKernel(IHandlerOwner owner, string name, int priority, KernelBody body)
    {
        if (body == null) throw new StrandException($"strand {name}: the body is null");
        return Spawn(owner, name, priority, body, null);
    }

    /// <summary>Creates a ready user strand for <paramref name="owner"/>; <paramref name="slice"/> runs each of its slices.</summary>
    public StrandHandle SpawnUser(IHandlerOwner owner, string name, int priority, UserSlice slice)
    {
        if (slice == null) throw new StrandException($"strand {name}: the slice callback is null");
        return Spawn(owner, name, priority, null, slice);
    }

    /// <summary>Creates an empty wait queue.</summary>
    public IWaitQueue CreateWaitQueue(string name) =>
        new WaitQueue(this, string.IsNullOrWhiteSpace(name) ? throw new StrandException("a wait queue needs a name") : name);

    /// <summary>The running strand gives up the CPU; it stays ready. Throws StrandException if <paramref name="self"/> is not running.</summary>
    public StrandAwaitable Yield(StrandHandle self)
    {
        CheckRunning(self, "Yield");
        return new StrandAwaitable(self);
    }

    /// <summary>The running strand sleeps for <paramref name="nanoseconds"/> (at least 0) of the clock.</summary>
    public StrandAwaitable Sleep(StrandHandle self, long nanoseconds)
    {
        if (nanoseconds < 0) throw new StrandException($"Sleep: {nanoseconds} ns is negative");
        return Park(self, null, nanoseconds, "Sleep");
    }

    /// <summary>The running strand waits until <paramref name="other"/> is done; completes at once if it is.</summary>
    public StrandAwaitable Join(StrandHandle self, StrandHandle other)
    {
        var target = Own(other, "Join");
        if (ReferenceEquals(target, self)) throw new StrandException($"Join: strand {self} cannot join itself");
        if (target.IsDone) { CheckRunning(self, "Join"); return default; }
        return Park(self, target.Joiners ??= new WaitQueue(this, $"join {target}"), -1, "Join");
    }

    /// <summary>
    /// Services interrupts and expired timers, then runs one slice of the strand the policy picks.
    /// Returns false if no strand was ready.
    /// </summary>
    public bool Step()
    {
        ClaimThread();
        ServiceInterrupts();
        FireTimers();
        var s = PickNext();
        if (s == null) return false;
        RunSlice(s);
        return true;
    }

    /// <summary>
    /// Runs slices while any strand is ready or a timer is armed, idling on the clock until the next
    /// timer when nothing is ready. Returns the number of slices run when nothing is ready and no
    /// timer is armed (every strand left is done or waits on a queue).
    /// </summary>
    public long RunUntilQuiet()
    {
        long start = Switches;
        while (true)
        {
            if (Step()) continue;
            if (!_timers.TryPeekDeadline(out long deadline)) return Switches - start;
            Clock.Idle(deadline, Bell);
        }
    }

    /// <summary>
    /// Waits, when nothing is ready, for what can make something ready: the earliest armed timer's deadline or the
    /// doorbell (an interrupt), whichever comes first; with no timer armed, the doorbell alone.
    /// </summary>
    public void Idle()
    {
        if (_timers.TryPeekDeadline(out long deadline)) Clock.Idle(deadline, Bell);
        else Bell.Wait(-1);
    }

    /// <summary>
    /// Runs until every strand is done or <paramref name="stop"/> is signalled. When all strands wait on
    /// queues the CPU sleeps on the doorbell until an interrupt arrives.
    /// </summary>
    public void Run(CancellationToken stop = default)
    {
        using var registration = stop.Register(static bell => ((Doorbell)bell!).Ring(), Bell);
        while (!stop.IsCancellationRequested)
        {
            RunUntilQuiet();
            if (_live.Count == 0) return;
            if (!Bell.IsRung) Bell.Wait(-1);
        }
    }

    // Runs one slice of s (taken off the ready queue) and settles where s goes next.
    private void RunSlice(StrandControl s)
    {
        long budget = SliceFor(s);
        s.Parked = false;
        s.State = StrandState.Running;
        _current = s;
        Resume.Raise(Transition(s));
        SliceOutcome outcome;
        long used = budget;
        Exception? fault = null;
        if (s.Kind == StrandKind.User) outcome = RunUser(s, budget, ref used, ref fault);
        else outcome = RunKernel(s, ref fault);
        Checkpoint.Raise(Transition(s));
        _current = null;
        Switches++;
        s.Slices++;
        s.Charged += used;
        Settle(s, outcome, used, fault);
    }

    // A user strand's slice: the callback runs the hart; its report is checked. A metered owner's callback
    // is extension code and runs under its meter, as every call into an extension does.
    private static SliceOutcome RunUser(StrandControl s, long budget, ref long used, ref Exception? fault)
    {
        try
        {
            SliceResult r;
            long fuel = s.Owner.Fuel;
            if (fuel == 0) r = s.Slice!(s, budget);
            else
            {
                Meter.Arm(fuel, s.Owner.AllocationBudget);
                try { r = s.Slice!(s, budget); }
                finally { Meter.Disarm(); }
            }
            if (r.Used < 0 || r.Used > budget)
                fault = new StrandException($"strand {s}: slice reported {r.Used} instructions used of a budget of {budget}");
            else used = r.Used;
            return r.Outcome;
        }
        catch (Exception e)
        {
            fault = e;
            return SliceOutcome.Exited;
        }
    }

    // A kernel strand's slice: start its body or resume its continuation, until it awaits or ends. A metered
    // owner's body and continuations are extension code and run under its meter.
    private static SliceOutcome RunKernel(StrandControl s, ref Exception? fault)
    {
        long fuel = s.Owner.Fuel;
        try
        {
            if (fuel > 0) Meter.Arm(fuel, s.Owner.AllocationBudget);
            try
            {
                if (s.Task == null) s.Task = s.Body!(s) ?? throw new StrandException($"strand {s}: the body returned no task");
                else Continue(s);
            }
            finally
            {
                if (fuel > 0) Meter.Disarm();
            }
        }
        catch (Exception e)
        {
            fault = e;
            return SliceOutcome.Exited;
        }
        var task = s.Task;
        if (task.IsCompleted)
        {
            if (!task.IsCompletedSuccessfully) fault = task.Exception?.InnerException ?? new TaskCanceledException(task);
            return SliceOutcome.Exited;
        }
        if (s.Continuation == null)
        {
            fault = new StrandException($"strand {s}: awaited something other than a strand operation");
            return SliceOutcome.Exited;
        }
        return s.Parked ? SliceOutcome.Blocked : SliceOutcome.Yielded;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Continue(StrandControl s)
    {
        var next = s.Continuation!;
        s.Continuation = null;
        next();
    }

    // After a slice: finish s, leave it blocked, or queue it again.
    private void Settle(StrandControl s, SliceOutcome outcome, long used, Exception? fault)
    {
        if (fault != null || outcome == SliceOutcome.Exited) { Finish(s, fault); return; }
        if (outcome == SliceOutcome.Blocked && !s.Parked)
        {
            Finish(s, new StrandException($"strand {s}: slice reported Blocked without waiting on anything"));
            return;
        }
        Charge(s, used);
        if (s.State == StrandState.Blocked) return;
        s.State = StrandState.Ready;   // not parked, or woken before its slice ended
        MakeReady(s, outcome switch
        {
            SliceOutcome.Preempted => EnqueueReason.Preempted,
            SliceOutcome.Blocked => EnqueueReason.Woken,
            _ => EnqueueReason.Yielded,
        });
    }

    // Internal: blocks the running strand self on queue (may be null) with an optional timeout (ns, negative: none).
    internal StrandAwaitable Park(StrandHandle self, WaitQueue? queue, long timeoutNs, string op)
    {
        var s = CheckRunning(self, op);
        s.Parked = true;
        s.TimedOut = false;
        s.State = StrandState.Blocked;
        queue?.Append(s);
        if (timeoutNs >= 0) _timers.Arm(s, SaturatingAdd(Clock.Now, timeoutNs));
        Block.Raise(Transition(s));
        return new StrandAwaitable(s);
    }

    // Internal: wakes the blocked strand s (from its queue, or its timer when timedOut).
    internal void Wake(StrandControl s, bool timedOut)
    {
        s.WaitingOn?.Remove(s);
        if (s.TimerArmed) TimerQueue.Disarm(s);
        s.TimedOut = timedOut;
        if (s == _current) s.State = StrandState.Running;   // woken before its slice ended: it just goes on
        else
        {
            s.State = StrandState.Ready;
            MakeReady(s, EnqueueReason.Woken);
        }
        Unblock.Raise(Transition(s));
    }

    // s's body ended (fault null) or failed: report, unlink it everywhere, wake its joiners.
    private void Finish(StrandControl s, Exception? fault)
    {
        s.WaitingOn?.Remove(s);
        if (s.TimerArmed) TimerQueue.Disarm(s);
        s.State = fault == null ? StrandState.Exited : StrandState.Faulted;
        s.Fault = fault;
        s.Task = null;
        s.Body = null;
        s.Slice = null;
        s.Continuation = null;
        if (fault != null)
        {
            StrandFaults++;
            s.Owner.ChargeFault(fault);
        }
        Retire(s);
        var last = _live[^1];
        _live[s.LiveIndex] = last;
        last.LiveIndex = s.LiveIndex;
        _live.RemoveAt(_live.Count - 1);
        s.Joiners?.WakeAll();
    }

    private StrandHandle Spawn(IHandlerOwner owner, string name, int priority, KernelBody? body, UserSlice? slice)
    {
        ArgumentNullException.ThrowIfNull(owner);
        CheckThread("Spawn");
        if (string.IsNullOrWhiteSpace(name)) throw new StrandException("a strand needs a name");
        if (priority is < StrandHandle.MinPriority or > StrandHandle.MaxPriority)
            throw new StrandException($"strand {name}: priority {priority} is outside {StrandHandle.MinPriority}..{StrandHandle.MaxPriority}");
        var s = new StrandControl(this, owner, _nextId++, name, priority, body, slice) { LiveIndex = _live.Count };
        _live.Add(s);
        Admit(s);
        MakeReady(s, EnqueueReason.New);
        return s;
    }

    // Runs the handlers of the raised lines; a faulting handler is charged to the scheduler and the rest still run.
    private void ServiceInterrupts() => Lines.Drain(_interruptFault);

    private void FireTimers()
    {
        long now = Clock.Now;
        while (_timers.PopExpired(now) is { } s) Wake(s, timedOut: true);
    }

    // Throws unless self is this scheduler's running strand; returns its control block.
    private StrandControl CheckRunning(StrandHandle self, string op)
    {
        var s = Own(self, op);
        if (s != _current || s.State != StrandState.Running)
            throw new StrandException($"{op}: strand {s} is not the running strand (it is {s.State})");
        return s;
    }

    // Throws unless h is a strand of this scheduler.
    private StrandControl Own(StrandHandle h, string op)
    {
        if (h is not StrandControl s || s.Scheduler != this) throw new StrandException($"{op}: {h?.ToString() ?? "null"} is not a strand of this scheduler");
        CheckThread(op);
        return s;
    }

    // Throws if called off the CPU's thread (once the CPU has run).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckThread(string op)
    {
        int cpu = _cpuThread;
        if (cpu != 0 && cpu != Environment.CurrentManagedThreadId) OffThread(op);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OffThread(string op) => throw new StrandException($"{op}: called off the CPU's thread");

    private void ClaimThread()
    {
        if (_cpuThread == 0) _cpuThread = Environment.CurrentManagedThreadId;
        else CheckThread("Step");
    }

    private static StrandTransition Transition(StrandControl s) => new(s, s.Id, s.Priority);

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
