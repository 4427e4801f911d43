namespace Spindle.Kernel.Dispatcher;

/// <summary>A trusted owner (fuel 0) for kernel modules: its handlers are called plainly; faults (only guards can fault) are counted.</summary>
public sealed class KernelOwner : IHandlerOwner
{
    private long _faults;

    /// <summary>Creates an owner named <paramref name="name"/>.</summary>
    public KernelOwner(string name) => Name = name;

    /// <summary>The kernel core.</summary>
    public static KernelOwner Core { get; } = new("kernel");

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long Fuel => 0;

    /// <summary>Faults charged so far.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>The most recent fault charged.</summary>
    public Exception? LastFault { get; private set; }

    /// <inheritdoc/>
    public void ChargeFault(Exception fault)
    {
        Interlocked.Increment(ref _faults);
        LastFault = fault;
    }
}
