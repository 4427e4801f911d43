namespace Spindle.Kernel.Dispatcher;

/// <summary>The party a handler is charged to: the kernel itself or an extension's domain.</summary>
public interface IHandlerOwner
{
    /// <summary>Name for diagnostics.</summary>
    string Name { get; }

    /// <summary>Meter fuel each invocation of this owner's handlers may burn; 0 means trusted and unmetered.</summary>
    long Fuel { get; }

    /// <summary>Bytes each invocation of this owner's metered handlers may allocate.</summary>
    long AllocationBudget => Spindle.Sdk.Runtime.Meter.DefaultAllocationBudget;

    /// <summary>Called by the dispatcher when one of this owner's handlers throws or exhausts its meter. Must not throw.</summary>
    void ChargeFault(Exception fault);
}
