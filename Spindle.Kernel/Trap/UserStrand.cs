using System.Diagnostics;
using System.Runtime.CompilerServices;
using Spindle.Kernel.Strand;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;
using Spindle.Sdk.Io;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Trap;

/// <summary>
/// A user strand: a saved register file and an address space, run by the scheduler one slice at a
/// time on the CPU's hart (see UserStrand.Slice.cs). While its slice runs its registers are the hart's
/// own; between slices they are saved here. The system-call handler sees it as an <see cref="IUserStrand"/>
/// and its memory as an <see cref="IUserMemory"/>. Touched only on the CPU's thread.
/// </summary>
public sealed unsafe partial class UserStrand : IUserStrand, IUserMemory
{
    private readonly UserMachine _machine;
    private RegisterFile _saved;
    private bool _onHart;
    private SharedSpace _space;

    // Created by UserMachine.Spawn: registers zero, not yet scheduled.
    internal UserStrand(UserMachine machine, int id, SharedSpace space)
    {
        _machine = machine;
        Id = id;
        _space = space;
    }

    /// <summary>The scheduler's handle of this strand.</summary>
    public StrandHandle Handle { get; internal set; } = null!;

    public int Id { get; }

    /// <summary>Its address space (shared with its sibling threads).</summary>
    public AddressSpace Space => _space.Space;

    /// <summary>Its translation context: <see cref="Space"/> as the Sdk names it.</summary>
    public Sdk.Translation.TranslationContext? Context => _space.Space;

    /// <summary>True once the strand exited or was killed.</summary>
    public bool HasExited { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get; private set; }

    /// <summary>How it ended: exited or killed with its personality's code, or by a fault nobody handled, or aborted.</summary>
    public StrandEnd End { get; private set; }

    /// <summary>The strand's most recent fault, for diagnostics.</summary>
    public Machine.Cpu.Trap? LastFault { get; private set; }

    /// <summary>A kernel error (an exception from the hart or a handler) that aborted it.</summary>
    public Exception? KernelError { get; private set; }

    /// <summary>The live register file, for the debugger (the CPU's thread, while the machine is stopped for it).</summary>
    internal ref RegisterFile DebugRegisters => ref Regs;

    // The live register file: the hart's while the slice runs, the saved copy otherwise.
    private ref RegisterFile Regs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_onHart) return ref _machine.Hart.Registers;
            return ref _saved;
        }
    }

    /// <summary>Sets the registers for a program's first instruction: pc at <paramref name="entry"/>, sp at <paramref name="stack"/>, all else zero.</summary>
    public void Start(ulong entry, ulong stack)
    {
        ref RegisterFile r = ref Regs;
        r = default;
        r.Pc = entry;
        r.X[RegisterFile.Sp] = stack;
    }

    // The accessors every system call makes through IUserStrand (number, first argument, result, process
    // state, exit check) are optimized at once (no tiering): a short run's calls would otherwise all go through unoptimized code.
    public ulong Number { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get => Regs.X[RegisterFile.A7]; }
    public ulong Arg0 { [MethodImpl(MethodImplOptions.AggressiveOptimization)] get => Regs.X[RegisterFile.A0]; }
    public ulong Arg1 => Regs.X[RegisterFile.A1];
    public ulong Arg2 => Regs.X[RegisterFile.A2];
    public ulong Arg3 => Regs.X[RegisterFile.A3];
    public ulong Arg4 => Regs.X[RegisterFile.A4];
    public ulong Arg5 => Regs.X[RegisterFile.A5];

    public long Result
    {
        get => (long)Regs.X[RegisterFile.A0];
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] set => Regs.X[RegisterFile.A0] = (ulong)value;
    }

    public ulong Pc { get => Regs.Pc; set => Regs.Pc = value; }

    public ulong GetRegister(int index) => (uint)index < 32 && index != 0 ? Regs.X[index] : 0;
    public void SetRegister(int index, ulong value) { if ((uint)index < 32 && index != 0) Regs.X[index] = value; }
    public ulong GetFloatRegister(int index) => (uint)index < 32 ? Regs.F[index] : 0;
    public void SetFloatRegister(int index, ulong value) { if ((uint)index < 32) Regs.F[index] = value; }
    public uint Fcsr { get => Regs.Fcsr; set => Regs.Fcsr = value & 0xff; }

    public IUserMemory Memory => this;

    private SlotValues _slots;

    public object? GetSlot(StrandSlot slot) => _slots.Get(slot);

    public void SetSlot(StrandSlot slot, object? value) => _slots.Set(slot, value);

    public void Exit(int status) => Finish(new StrandEnd(StrandEndKind.Exited, status));

    public void Kill(int code) => Finish(new StrandEnd(StrandEndKind.Killed, code));

    // Ends the strand (the first end stands); a strand that is not running is woken so that its next slice retires it.
    private void Finish(StrandEnd end)
    {
        Debug.Assert(end.Kind != StrandEndKind.Running);
        if (HasExited) return;
        HasExited = true;
        End = end;
        WakeIfBlocked();
    }

    public void FlushInstructionCache() => _machine.Hart.FlushDecodedCode();

    /// <inheritdoc/>
    /// <remarks>A private copy is copy-on-write: the Translation service breaks the sharing on the first write.</remarks>
    public IUserStrand? Clone(bool shareMemory)
    {
        SharedSpace space;
        if (shareMemory) space = _space.Share();
        else space = new SharedSpace(Space.ForkCopyOnWrite());
        var child = _machine.Spawn(space);
        child._saved = Regs;
        child._saved.X[RegisterFile.A0] = 0;
        _machine.Debugger?.Cloned(this, child, shareMemory);
        return child;
    }

    /// <inheritdoc/>
    public int Exec(ReadOnlySpan<byte> elf, string path, string[] argv, string[] envp, out ExecImage image) =>
        Exec(elf, null, path, argv, envp, out image);

    /// <inheritdoc/>
    public int InterpreterOf(ReadOnlySpan<byte> elf, out string? path) => ProgramLoader.TryInterpreterOf(elf, out path);

    /// <inheritdoc/>
    public int Exec(ReadOnlySpan<byte> elf, byte[]? interpreter, string path, string[] argv, string[] envp, out ExecImage image)
    {
        int error = ProgramLoader.TryLoad(_machine.Frames, elf, interpreter, path, argv, envp, out var loaded);
        image = loaded.Image;
        if (error != 0) return error;
        _space.Release(_machine);
        _space = new SharedSpace(loaded.Space);
        if (_onHart) _machine.Hart.PageTable = loaded.Space.PageTable;
        Start(loaded.Entry, loaded.StackPointer);
        RestartingSyscall = false;
        return 0;
    }

    // IUserMemory over the address space. Sdk Protection and machine PageRights share their bit values.
    public ulong UserLimit => PageTable.UserLimit;
    public bool CopyIn(ulong va, Span<byte> dest) => Space.CopyIn(va, dest);
    public bool CopyOut(ulong va, ReadOnlySpan<byte> src) => Space.CopyOut(va, src);
    public int ReadCString(ulong va, Span<byte> dest) => Space.ReadCString(va, dest, dest.Length);
    public bool Map(ulong va, ulong length, Protection protection) => Space.MapAnonymous(va, length, (PageRights)protection);
    public void Unmap(ulong va, ulong length) => Space.Unmap(va, length);
    public long Discard(ulong va, ulong length) => Space.Discard(va, length);
    public bool Protect(ulong va, ulong length, Protection protection) => Space.Protect(va, length, (PageRights)protection);
    public bool TryGetProtection(ulong va, out Protection protection)
    {
        bool mapped = Space.TryGetRights(va, out PageRights rights);
        protection = (Protection)rights;
        return mapped;
    }
    public ulong FindFree(ulong length, ulong hint, ulong limit) => Space.FindFree(length, hint, limit);

    public override string ToString() => $"user strand {Id}";
}

/// <summary>An address space shared by the strands of one process; released (announced, then freed) when the last one lets go.</summary>
internal sealed class SharedSpace(AddressSpace space)
{
    private int _users = 1;

    public AddressSpace Space { get; } = space;

    /// <summary>One more strand uses the space.</summary>
    public SharedSpace Share() { _users++; return this; }

    /// <summary>
    /// A strand of <paramref name="machine"/> stops using the space; the last one raises
    /// <see cref="LifecycleEvents.SpaceReleased"/>, then frees its frames.
    /// </summary>
    public void Release(UserMachine machine)
    {
        Debug.Assert(_users > 0, "released more often than shared");
        if (--_users != 0) return;
        machine.Lifecycle.SpaceReleased.Raise(Space);
        Space.Dispose();
    }
}
