using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Tests.Dispatcher;
using Spindle.Kernel.Trap;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Tests.Trap;

// The continuation model (IUserStrand.Suspend): the call waits past its ecall, is never entered again, and its
// continuation writes a0; signals hand it to the restart model; a strand that ends while suspended never resumes.
public sealed partial class UserStrandTests
{
    private SyscallContinuation Continuation(SyscallResume body, IHandlerOwner? owner = null) =>
        _kernel.StrandsFor(owner ?? _owner).CreateContinuation("test", body);

    [Fact]
    public void SuspendedCallIsFinishedByItsContinuationNotEnteredAgain()
    {
        var queue = _kernel.Scheduler.CreateWaitQueue("device");
        int entries = 0, resumes = 0;
        ulong after = 0;
        var reasons = new List<WakeReason>();
        var k = Continuation((s, why) => { resumes++; reasons.Add(why); Assert.Equal(77UL, s.Arg0); return 42; });
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (t.Number == 1)
            {
                if (++entries == 1) { s.Result = 5; s.Suspend(queue, -1, k); Assert.False(s.Suspended); }   // waits once the handler returns
                else { after = s.Arg0; s.Exit(0); }                                                       // the loop's next ecall
            }
            else { Assert.True(_sleeper!.Suspended); queue.WakeOne(); s.Exit(0); }
            return true;
        });
        _sleeper = Start(SyscallLoop(1), arg0: 77);
        Start(SyscallLoop(2));
        _kernel.Run();
        Assert.Equal(1, resumes);
        Assert.Equal([WakeReason.Woken], reasons);
        Assert.Equal(2, entries);        // the suspended call once, then the loop's next call
        Assert.Equal(42UL, after);       // a0 is the continuation's result: the user code went on past the ecall
        Assert.False(_sleeper.Suspended);
    }

    private UserStrand? _sleeper;

    [Fact]
    public void AContinuationCanWaitAgainAndSeesItsDeadline()
    {
        long deadline = -1;
        var reasons = new List<WakeReason>();
        int entries = 0;
        SyscallContinuation? k = null;
        k = Continuation((s, why) =>
        {
            reasons.Add(why);
            if (reasons.Count == 1) { s.Suspend(null, deadline, k!); return 0; }   // woken early (here: a timer) - sleep on
            Assert.True(s.Now >= deadline);
            return 7;
        });
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (++entries == 1) { deadline = s.Now + 5_000_000; s.Suspend(null, s.Now + 1_000_000, k); }
            else s.Exit((int)s.Arg0);
            return true;
        });
        var a = Start(SyscallLoop(9));
        _kernel.Run();
        Assert.Equal([WakeReason.TimedOut, WakeReason.TimedOut], reasons);
        Assert.Equal(2, entries);
        Assert.Equal(new StrandEnd(StrandEndKind.Exited, 7), a.End);
    }

    [Fact]
    public void ASignalCancelsTheWaitAndRestartHandsTheCallToSignalDelivery()
    {
        var queue = _kernel.Scheduler.CreateWaitQueue("never woken");
        var reasons = new List<WakeReason>();
        var seen = new List<long>();
        bool restarting = false;
        var k = Continuation((s, why) => { reasons.Add(why); return SyscallContinuation.Restart; });
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (t.Number == 1)
            {
                if (seen.Count == 0) { seen.Add(0); s.Suspend(queue, -1, k); }
                else { seen.Add(s.Result); s.Exit(0); }
            }
            else { _sleeper!.SignalPending = true; s.Exit(0); }
            return true;
        });
        _kernel.Dispatcher.Install(_owner, _kernel.Traps.ReturnToUser, s =>
        {
            restarting = s.RestartingSyscall;
            s.CompleteRestart(-4);           // no SA_RESTART: -EINTR
            s.SignalPending = false;
            return true;
        });
        _sleeper = Start(SyscallLoop(1), arg0: 1);
        Start(SyscallLoop(2));
        _kernel.Run();
        Assert.Equal([WakeReason.Interrupted], reasons);
        Assert.True(restarting);             // Restart put the call back on its ecall for delivery to decide
        Assert.Equal([0L, -4L], seen);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void ASignalAlreadyPendingResumesAtOnceAndForbidsWaitingAgain()
    {
        Exception? refused = null;
        var other = Continuation((_, _) => 0);
        var k = Continuation((s, why) =>
        {
            refused = Record.Exception(() => s.Suspend(null, s.Now + 1_000, other));
            return why == WakeReason.Interrupted ? -4 : 0;
        });
        int entries = 0;
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (++entries == 1) { s.SignalPending = true; s.Suspend(null, s.Now + 1_000_000_000, k); }
            else s.Exit((int)-(long)s.Arg0);
            return true;
        });
        _kernel.Dispatcher.Install(_owner, _kernel.Traps.ReturnToUser, s => { s.SignalPending = false; return true; });
        var a = Start(SyscallLoop(1));
        _kernel.Run();
        Assert.IsType<StrandException>(refused);
        Assert.Equal(new StrandEnd(StrandEndKind.Exited, 4), a.End);
        Assert.True(_clock.Now < 1_000_000_000, "the strand did not sleep");
    }

    [Fact]
    public void AStrandKilledWhileSuspendedNeverRunsItsContinuation()
    {
        var queue = _kernel.Scheduler.CreateWaitQueue("device");
        int resumes = 0;
        var k = Continuation((_, _) => { resumes++; return 0; });
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (t.Number == 1) s.Suspend(queue, -1, k);
            else { _sleeper!.Kill(9); queue.WakeAll(); s.Exit(0); }   // the device completes after the kill
            return true;
        });
        _sleeper = Start(SyscallLoop(1));
        Start(SyscallLoop(2));
        _kernel.Run();
        Assert.Equal(0, resumes);
        Assert.Equal(StrandEndKind.Killed, _sleeper.End.Kind);
        Assert.False(_sleeper.Suspended);
        Assert.Equal(0, _kernel.Users.LiveCount);
    }

    [Fact]
    public void AFaultingContinuationIsChargedToItsDomainAndTheCallFailsWithEio()
    {
        var domain = new TestOwner("metered", fuel: 1_000_000);
        var k = Continuation((_, _) => throw new InvalidOperationException("broken driver"), domain);
        int entries = 0;
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (++entries == 1) s.Suspend(null, s.Now + 1_000, k);
            else s.Exit((int)-(long)s.Arg0);
            return true;
        });
        var a = Start(SyscallLoop(1));
        _kernel.Run();
        Assert.Equal(new StrandEnd(StrandEndKind.Exited, Errno.EIO), a.End);
        Assert.IsType<InvalidOperationException>(Assert.Single(domain.Faults));
        Assert.Null(a.KernelError);
    }

    [Fact]
    public void SuspendNeedsSomethingToWakeIt()
    {
        Exception? e = null;
        var k = Continuation((_, _) => 0);
        OnSyscall(t => { e = Record.Exception(() => t.Strand.Suspend(null, -1, k)); t.Strand.Exit(0); return true; });
        Start(SyscallLoop(1));
        _kernel.Run();
        Assert.IsType<StrandException>(e);
    }
}
