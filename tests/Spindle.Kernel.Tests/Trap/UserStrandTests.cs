using System.Buffers.Binary;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Strand;
using Spindle.Kernel.Trap;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;
using Spindle.Machine.Devices;

namespace Spindle.Kernel.Tests.Trap;

/// <summary>
/// User strands on the scheduler through the composition root: tiny hand-assembled programs whose ecalls
/// reach handlers installed on the trap events. Checks the blocking contract (restart, deadline, signal),
/// yield, clone, faults, and that the system-call path allocates nothing.
/// </summary>
public sealed partial class UserStrandTests : IDisposable
{
    private const ulong Code = 0x10000;
    private readonly VirtualClock _clock = new();
    private readonly KernelRoot _kernel;
    private readonly KernelOwner _owner = new("test personality");

    public UserStrandTests() => _kernel = new KernelRoot(new KernelOptions(MemoryBytes: 16 << 20, FirstStrandId: 100, Clock: _clock));

    public void Dispose() => _kernel.Dispose();

    // loop: li a7, number; ecall; j loop
    private static uint[] SyscallLoop(int number) => [(uint)(number << 20) | (17 << 7) | 0x13, 0x73, 0xff9ff06f];

    // Starts a strand running code at Code, with a0 = arg0.
    private UserStrand Start(uint[] code, ulong arg0 = 0)
    {
        var space = new AddressSpace(_kernel.Frames);
        Assert.True(space.MapAnonymous(Code, 4096, PageRights.ReadExecute));
        var bytes = new byte[code.Length * 4];
        for (int i = 0; i < code.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), code[i]);
        Assert.True(space.Poke(Code, bytes));
        var s = _kernel.Users.Spawn(space);
        s.Start(Code, 0);
        s.SetRegister(10, arg0);
        return s;
    }

    private void OnSyscall(Func<SyscallTrap, bool> handler) => _kernel.Dispatcher.Install(_owner, _kernel.Traps.Syscall, handler);

    [Fact]
    public void BlockedCallRunsAgainWithItsArgumentsWhenWoken()
    {
        var queue = _kernel.Scheduler.CreateWaitQueue("test");
        var seen = new List<ulong>();
        bool woken = false;
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (t.Number == 1)
            {
                seen.Add(s.Arg0);
                if (!woken) { s.Result = 5; s.Block(queue); return true; }  // the clobbered a0 must come back
                s.Exit(0);
            }
            else { woken = queue.WakeOne(); s.Exit(0); }
            return true;
        });
        var a = Start(SyscallLoop(1), arg0: 77);
        Start(SyscallLoop(2));
        _kernel.Run();
        Assert.True(woken);
        Assert.Equal([77UL, 77UL], seen);
        Assert.True(a.HasExited && a.End.Kind == StrandEndKind.Exited);
        Assert.Equal(0, _kernel.Users.LiveCount);
    }

    [Fact]
    public void DeadlineWakesTheCallOnTheSchedulerClock()
    {
        long deadline = -1, rerunAt = -1;
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (deadline < 0) { deadline = s.Now + 5_000_000; s.Block(null, deadline); }
            else { rerunAt = s.Now; s.Exit(3); }
            return true;
        });
        var a = Start(SyscallLoop(9));
        _kernel.Run();
        Assert.True(rerunAt >= deadline, $"rerun at {rerunAt}, deadline {deadline}");
        Assert.Equal(new StrandEnd(StrandEndKind.Exited, 3), a.End);
    }

    [Fact]
    public void SignalPendingWakesTheCallAndReturnToUserCanFailItWithEintr()
    {
        var queue = _kernel.Scheduler.CreateWaitQueue("never woken");
        UserStrand? sleeper = null;
        var results = new List<long>();
        bool restarting = false;
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (t.Number == 1)
            {
                if (results.Count == 0) { results.Add(0); s.Block(queue); }
                else { results.Add(s.Result); s.Exit(0); }
            }
            else { sleeper!.SignalPending = true; s.Exit(0); }
            return true;
        });
        _kernel.Dispatcher.Install(_owner, _kernel.Traps.ReturnToUser, s =>
        {
            restarting = s.RestartingSyscall;
            s.CompleteRestart(-4);
            s.SignalPending = false;
            return true;
        });
        sleeper = Start(SyscallLoop(1), arg0: 1);
        Start(SyscallLoop(2));
        _kernel.Run();
        Assert.True(restarting);
        Assert.Equal([0L, -4L], results);   // the second call saw the EINTR result left in a0
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void CloneCopiesRegistersAndMemoryAndTheChildSeesZero()
    {
        var results = new Dictionary<int, ulong>();
        OnSyscall(t =>
        {
            var s = t.Strand;
            if (results.Count == 0 && s.Id == 100)
            {
                var child = s.Clone(shareMemory: false)!;
                Assert.NotNull(child);
                s.Result = child.Id;
                results[s.Id] = 0;
                return true;
            }
            results[s.Id] = s.Arg0;   // second call: a0 holds what the first one returned
            s.Exit(0);
            return true;
        });
        Start(SyscallLoop(7), arg0: 1);
        _kernel.Run();
        Assert.Equal(101UL, results[100]);
        Assert.Equal(0UL, results[101]);
    }

    [Fact]
    public void UnhandledFaultEndsTheStrandAsFaulted_InTheKernelsTerms_AndTheFaultIsReported()
    {
        UserFault? seen = null;
        _kernel.Dispatcher.Install(_owner, _kernel.Traps.Fault, f => { seen = f; return false; });
        var exited = new List<int>();
        _kernel.Dispatcher.Install(_owner, _kernel.Traps.Exited, s => { exited.Add(s.Id); return true; });
        var a = Start([0x00003023]);   // sd zero, 0(zero)
        _kernel.Run();
        Assert.NotNull(seen);
        Assert.Equal(FaultKind.PageFault, seen!.Value.Kind);
        Assert.True(seen.Value.IsWrite);
        Assert.Equal(0UL, seen.Value.Address);
        Assert.Equal(new StrandEnd(StrandEndKind.Faulted, 0, FaultKind.PageFault), a.End);   // no signal: that is the personality's word
        Assert.Equal([a.Id], exited);
    }

    [Fact]
    public void UnhandledSyscallAnswersEnosys()
    {
        var a = Start([(uint)(500 << 20) | (17 << 7) | 0x13, 0x73, 0x00003023]);   // ecall 500, then fault
        _kernel.Run();
        Assert.Equal(unchecked((ulong)-38L), a.GetRegister(10));
    }

    [Fact]
    public void SyscallPathAllocatesNothing()
    {
        long Measure(int calls)
        {
            using var kernel = new KernelRoot(new KernelOptions(MemoryBytes: 16 << 20, Clock: new VirtualClock()));
            var space = new AddressSpace(kernel.Frames);
            space.MapAnonymous(Code, 4096, PageRights.ReadExecute);
            var bytes = new byte[12];
            var code = SyscallLoop(172);
            for (int i = 0; i < 3; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), code[i]);
            space.Poke(Code, bytes);
            var strand = kernel.Users.Spawn(space);
            strand.Start(Code, 0);
            int n = 0;
            kernel.Dispatcher.Install(_owner, kernel.Traps.Syscall, t => { t.Strand.Result = 1234; if (++n == calls) t.Strand.Exit(0); return true; });
            long before = GC.GetAllocatedBytesForCurrentThread();
            kernel.Run();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Measure(20_000);   // warm up
        long small = Measure(1_000), large = Measure(101_000);
        Assert.True(large - small < 100_000, $"100,000 more system calls allocated {large - small} more bytes");
    }
}
