using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Domain;

/// <summary>Limits applied to one extension domain.</summary>
public sealed record DomainOptions
{
    /// <summary>Meter fuel per call into the domain (handler invocation or metered call).</summary>
    public long Fuel { get; init; } = 10_000_000;

    /// <summary>Meter fuel for each static constructor and each <c>IExtension.Initialize</c> at load.</summary>
    public long InitializeFuel { get; init; } = 50_000_000;

    /// <summary>Bytes one call into the domain may allocate.</summary>
    public long AllocationBudget { get; init; } = Meter.DefaultAllocationBudget;

    /// <summary>
    /// Bytes the domain may keep between calls (statics, handler closures, exported services), measured by
    /// <see cref="MemoryAudit"/>; past it the domain is destroyed. <see cref="long.MaxValue"/>: not audited.
    /// </summary>
    public long MemoryQuota { get; init; } = 128L << 20;

    /// <summary>Faults after which the domain is destroyed.</summary>
    public int FaultLimit { get; init; } = 3;

    /// <summary>The defaults.</summary>
    public static readonly DomainOptions Default = new();
}
