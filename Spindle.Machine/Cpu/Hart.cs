using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu;

// SKELETON: the CPU helper replaces the bodies; the public surface is the contract.
/// <summary>One RV64GC hart running in user mode.</summary>
public sealed unsafe partial class Hart
{
    public Hart(PhysicalMemory memory) { Memory = memory; }

    public PhysicalMemory Memory { get; }

    /// <summary>The saved/current user context. Valid to read and write between calls to Run.</summary>
    public ref RegisterFile Registers => throw new NotImplementedException();

    /// <summary>The translation context the hart runs in. Setting it switches context (TLB flush or retag) and clears any LR reservation.</summary>
    public PageTable? PageTable { get; set; }

    /// <summary>Instructions retired since the hart was created.</summary>
    public ulong InstructionsRetired => throw new NotImplementedException();

    /// <summary>Runs at most <paramref name="budget"/> instructions; returns the trap that stopped it.</summary>
    public Trap Run(long budget) => throw new NotImplementedException();

    /// <summary>Drops every cached translation.</summary>
    public void FlushTlb() => throw new NotImplementedException();

    /// <summary>Drops cached decoded instructions (fence.i on behalf of the kernel).</summary>
    public void FlushDecodedCode() => throw new NotImplementedException();
}
