using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Strand;
using Spindle.Kernel.Translation;
using Spindle.Kernel.VirtAddr;
using Spindle.Kernel.Trap;
using Spindle.Machine.Cpu;
using Spindle.Machine.Devices;
using Spindle.Machine.Memory;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Boot;

/// <summary>How to build a kernel.</summary>
/// <param name="MemoryBytes">Physical memory of the machine.</param>
/// <param name="FirstStrandId">Id (Linux pid) of the first user strand.</param>
/// <param name="Slice">Instructions a user strand runs before it is preempted.</param>
/// <param name="Clock">The machine's clock and timer device (the host's if null).</param>
/// <param name="Engine">How the hart runs user code (<see cref="ExecutionEngines"/>; the interpreter if null).</param>
public sealed record KernelOptions(ulong MemoryBytes = 256UL << 20, int FirstStrandId = 1, long Slice = Scheduler.DefaultSlice,
    MachineClock? Clock = null, ExecutionEngineKind? Engine = null);

/// <summary>
/// The kernel's composition root: builds physical memory, the hart, the dispatcher, the scheduler, the
/// PhysAddr and Translation services and the trap events, hands a personality what it links against (<see cref="DispatcherFor"/>,
/// <see cref="Traps"/>, <see cref="StrandsFor"/>), starts programs as user strands and runs the CPU.
/// One host thread (the one calling <see cref="Run"/>) runs every strand; when none is ready it
/// sleeps on the scheduler's doorbell or its next timer.
/// </summary>
public sealed class KernelRoot : IDisposable
{
    private readonly KernelOwner _userOwner = new("user");

    /// <summary>Builds the machine and the core services; no strand exists yet.</summary>
    public KernelRoot(KernelOptions? options = null)
    {
        options ??= new KernelOptions();
        ulong frames = options.MemoryBytes / PhysicalMemory.PageSize;
        if (frames is 0 or > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(options), "memory size out of range");
        Memory = new PhysicalMemory((uint)frames);
        Frames = new FrameAllocator(Memory);
        Hart = new Hart(Memory, options.Engine);
        Dispatcher = new Dispatcher.Dispatcher();
        Scheduler = new Scheduler(Dispatcher, options.Clock, slice: options.Slice);
        PhysAddr = new PhysAddrService(Frames, Dispatcher);
        Translation = new TranslationService(Frames, PhysAddr, Dispatcher);
        VirtAddr = new VirtAddrService();
        Traps = new TrapEvents(Dispatcher);
        Lifecycle = new LifecycleEvents(Dispatcher);
        Users = new UserMachine(Hart, Frames, Scheduler, Traps, Lifecycle, Translation, _userOwner, options.FirstStrandId);
        Cache = new Block.BufferCache(new Block.DiskIo(Lines.Bell), Frames, BlockRequests, Dispatcher,
            (int)Math.Min(Block.BufferCache.DefaultCapacity, Memory.FrameCount / 8));
        FileSystemTypes = new FileSystems.FileSystemTypes(Dispatcher);
        StartAsyncHandlers();
    }

    /// <summary>Priority of the strand that runs asynchronous handlers: the same as user strands.</summary>
    public const int AsyncHandlerPriority = UserMachine.UserPriority;

    // Asynchronous handlers run on a kernel strand of their own, which sleeps on a wait queue until a raise
    // queues work. The wake-up is an interrupt line, so a raise on any thread may post.
    private void StartAsyncHandlers()
    {
        var idle = Scheduler.CreateWaitQueue("async-handlers");
        int line = Lines.Claim("async-handlers", () => idle.WakeOne());
        Dispatcher.Queue.Posted = () => Lines.Raise(line);
        Scheduler.SpawnKernel(KernelOwner.Core, "async-handlers", AsyncHandlerPriority, async self =>
        {
            while (true)
            {
                Dispatcher.Queue.Drain();
                await idle.Wait(self);
            }
        });
    }

    public PhysicalMemory Memory { get; }
    public FrameAllocator Frames { get; }
    public Hart Hart { get; }

    /// <summary>The machine's interrupt lines and the doorbell that wakes the idle CPU (the scheduler drains them).</summary>
    public InterruptLines Lines => Scheduler.Lines;
    public Dispatcher.Dispatcher Dispatcher { get; }
    public Scheduler Scheduler { get; }

    /// <summary>Physical frames as capabilities, with the Reclaim event.</summary>
    public PhysAddrService PhysAddr { get; }

    /// <summary>Translation contexts and the page-fault events (copy-on-write is resolved there).</summary>
    public TranslationService Translation { get; }

    /// <summary>Virtual address reservations.</summary>
    public VirtAddrService VirtAddr { get; }

    /// <summary>The trap events a personality installs its handlers on.</summary>
    public TrapEvents Traps { get; }

    /// <summary>The lifecycle events: an address space released, a process ended.</summary>
    public LifecycleEvents Lifecycle { get; }

    /// <summary>Who answers each of Spindle's own system-call numbers (1000 and up).</summary>
    public SyscallClaims SyscallClaims { get; } = new();

    /// <summary>Creates and tracks user strands.</summary>
    public UserMachine Users { get; }

    /// <summary>The packet buffers drivers and protocol extensions share (buffers are made as first needed).</summary>
    public Net.PacketPool Packets { get; } = new();

    /// <summary>The block I/O requests file systems and drivers share (made as first needed).</summary>
    public Block.BlockRequestPool BlockRequests { get; } = new();

    /// <summary>The buffer cache over the machine's disks (<see cref="Block.BufferCache.Disks"/>).</summary>
    public Block.BufferCache Cache { get; }

    /// <summary>The file-system types: the Mount event file-system extensions handle.</summary>
    public FileSystems.FileSystemTypes FileSystemTypes { get; }

    /// <summary>The frame buffer, if the system has one (set by the system builder before extensions are linked).</summary>
    public Video.FramebufferService? Framebuffer { get; internal set; }

    /// <summary>The dispatcher as the domain <paramref name="owner"/> sees it.</summary>
    public IDispatcher DispatcherFor(IHandlerOwner owner) => Dispatcher.For(owner);

    /// <summary>The strand service as the domain <paramref name="owner"/> sees it.</summary>
    public IStrandService StrandsFor(IHandlerOwner owner) => Scheduler.For(owner);

    /// <summary>
    /// Loads <paramref name="elf"/> (with the bytes of the <paramref name="interpreter"/> it names, if it is dynamically
    /// linked) into a new address space and creates a ready user strand at its first instruction.
    /// Throws <see cref="Loader.ElfException"/> if it is not a loadable program (nothing is created then).
    /// </summary>
    public UserStrand StartProgram(ReadOnlySpan<byte> elf, byte[]? interpreter, string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp,
        out ExecImage image)
    {
        var loaded = ProgramLoader.Load(Frames, elf, interpreter, path, argv, envp);
        var strand = Users.Spawn(loaded.Space);
        strand.Start(loaded.Entry, loaded.StackPointer);
        image = loaded.Image;
        return strand;
    }

    /// <summary>
    /// Runs the CPU until <paramref name="done"/> holds or every user strand has ended, both checked whenever nothing
    /// is ready, before idling: a timer armed for later (an extension's alarm, TCP's TIME_WAIT) does not keep an
    /// ended program's system running. Strands still waiting then stay blocked, timers unfired. Idles on the
    /// clock and the doorbell, never spins.
    /// </summary>
    public void Run(Func<bool>? done = null)
    {
        while (true)
        {
            while (Scheduler.Step()) { }
            if (Users.LiveCount == 0 || (done?.Invoke() ?? false)) return;
            Scheduler.Idle();
        }
    }

    /// <summary>Frees physical memory.</summary>
    public void Dispose() => Memory.Dispose();
}
