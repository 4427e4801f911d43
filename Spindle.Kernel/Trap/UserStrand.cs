using System.Runtime.CompilerServices;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Trap;

/// <summary>How a user strand's process ended.</summary>
public enum StrandState : byte { Running, Exited, Killed }

/// <summary>
/// A user strand running on a hart, seen through the Sdk: the system-call handler's view of the
/// caller (<see cref="IUserStrand"/>) and of its address space (<see cref="IUserMemory"/>).
/// The registers are the hart's own while the strand runs (one strand per hart for now).
/// </summary>
public sealed unsafe class UserStrand : IUserStrand, IUserMemory
{
    private readonly Hart _hart;

    /// <param name="id">The strand's id (Linux tid).</param>
    /// <param name="hart">The hart it runs on; its page table must be <paramref name="space"/>'s.</param>
    /// <param name="space">Its address space.</param>
    public UserStrand(int id, Hart hart, AddressSpace space)
    {
        Id = id;
        _hart = hart;
        Space = space;
    }

    /// <summary>Sets the registers for a program's first instruction: pc at <paramref name="entry"/>, sp at <paramref name="stack"/>, all else zero (a0 = 0: no exit hook).</summary>
    public void Start(ulong entry, ulong stack)
    {
        _hart.Registers = default;
        _hart.Registers.Pc = entry;
        _hart.Registers.X[RegisterFile.Sp] = stack;
    }

    public int Id { get; }
    public AddressSpace Space { get; }
    public StrandState State { get; private set; }

    /// <summary>Exit status if <see cref="StrandState.Exited"/>, signal number if <see cref="StrandState.Killed"/>.</summary>
    public int Status { get; private set; }

    public ulong Number { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => _hart.Registers.X[RegisterFile.A7]; }
    public ulong Arg0 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => _hart.Registers.X[RegisterFile.A0]; }
    public ulong Arg1 => _hart.Registers.X[RegisterFile.A1];
    public ulong Arg2 => _hart.Registers.X[RegisterFile.A2];
    public ulong Arg3 => _hart.Registers.X[RegisterFile.A3];
    public ulong Arg4 => _hart.Registers.X[RegisterFile.A4];
    public ulong Arg5 => _hart.Registers.X[RegisterFile.A5];

    public long Result
    {
        get => (long)_hart.Registers.X[RegisterFile.A0];
        [MethodImpl(MethodImplOptions.AggressiveInlining)] set => _hart.Registers.X[RegisterFile.A0] = (ulong)value;
    }

    public ulong Pc { get => _hart.Registers.Pc; set => _hart.Registers.Pc = value; }

    public IUserMemory Memory => this;

    public object? ProcessState { get; set; }

    public void Exit(int status) { if (State == StrandState.Running) { State = StrandState.Exited; Status = status & 0xff; } }

    public void Kill(int signal) { if (State == StrandState.Running) { State = StrandState.Killed; Status = signal; } }

    public void FlushInstructionCache() => _hart.FlushDecodedCode();

    // IUserMemory over the address space. Sdk Protection and machine PageRights share their bit values.
    public ulong UserLimit => PageTable.UserLimit;
    public bool CopyIn(ulong va, Span<byte> dest) => Space.CopyIn(va, dest);
    public bool CopyOut(ulong va, ReadOnlySpan<byte> src) => Space.CopyOut(va, src);
    public int ReadCString(ulong va, Span<byte> dest) => Space.ReadCString(va, dest, dest.Length);
    public bool Map(ulong va, ulong length, Protection protection) => Space.MapAnonymous(va, length, (PageRights)protection);
    public void Unmap(ulong va, ulong length) => Space.Unmap(va, length);
    public bool Protect(ulong va, ulong length, Protection protection) => Space.Protect(va, length, (PageRights)protection);
    public bool TryGetProtection(ulong va, out Protection protection)
    {
        protection = Protection.None;
        if (!Space.PageTable.TryGet(va, out PageTableEntry e)) return false;
        protection = (Protection)e.Rights;
        return true;
    }
    public ulong FindFree(ulong length, ulong hint, ulong limit) => Space.FindFree(length, hint, limit);
}
