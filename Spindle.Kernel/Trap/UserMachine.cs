using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Strand;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;

namespace Spindle.Kernel.Trap;

/// <summary>
/// Runs user strands on one hart under the scheduler: creates them (with ids from a counter), keeps
/// the trap events they raise, and hears when each one ends. Touched only on the CPU's thread.
/// </summary>
public sealed class UserMachine
{
    /// <summary>Priority of user strands (the middle of the range).</summary>
    public const int UserPriority = 16;

    private readonly IHandlerOwner _owner;
    private int _nextId;

    /// <param name="hart">The CPU's hart.</param>
    /// <param name="frames">Where address spaces take their frames.</param>
    /// <param name="scheduler">The scheduler that runs the strands' slices.</param>
    /// <param name="traps">The trap events strands raise.</param>
    /// <param name="lifecycle">The lifecycle events (an address space's release is raised here).</param>
    /// <param name="translation">Resolves page faults (copy-on-write, demand paging) before they become signals.</param>
    /// <param name="owner">The module charged with the strands.</param>
    /// <param name="firstId">The first strand's id (Linux pid of the first process).</param>
    public UserMachine(Hart hart, FrameAllocator frames, Scheduler scheduler, TrapEvents traps, LifecycleEvents lifecycle, TranslationService translation,
        IHandlerOwner owner, int firstId)
    {
        Translation = translation;
        Hart = hart;
        Frames = frames;
        Scheduler = scheduler;
        Traps = traps;
        Lifecycle = lifecycle;
        _owner = owner;
        _nextId = firstId;
    }

    public Hart Hart { get; }
    public FrameAllocator Frames { get; }
    public Scheduler Scheduler { get; }
    public TrapEvents Traps { get; }
    public LifecycleEvents Lifecycle { get; }
    public TranslationService Translation { get; }

    /// <summary>The gdb stub watching the first program, if one was attached (<see cref="Gdb.GdbStub.Attach"/>).</summary>
    internal Gdb.GdbStub? Debugger { get; set; }

    /// <summary>Runs after every user slice (the console flush).</summary>
    public Action? Tick { get; set; }

    /// <summary>User strands created and not yet retired.</summary>
    public int LiveCount { get; private set; }

    /// <summary>Creates a ready user strand over <paramref name="space"/> (which it now owns), registers zero.</summary>
    public UserStrand Spawn(AddressSpace space) => Spawn(new SharedSpace(space));

    internal UserStrand Spawn(SharedSpace space)
    {
        int id = _nextId++;
        var strand = new UserStrand(this, id, space);
        strand.Handle = Scheduler.SpawnUser(_owner, $"user {id}", UserPriority, strand.RunSlice);
        LiveCount++;
        return strand;
    }

    internal void Retired(UserStrand s) => LiveCount--;
}
