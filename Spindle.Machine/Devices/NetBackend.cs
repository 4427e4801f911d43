namespace Spindle.Machine.Devices;

/// <summary>
/// What a <see cref="Nic"/> is connected to: the host side of the card (a TAP device, an in-process
/// <see cref="NetWire"/>). Contract: <see cref="Start"/> is called once, when the card is attached (its line
/// claimed); from then on the backend, on threads of its own, takes frames the card queued for sending with
/// <see cref="Nic.PeekTransmit"/> and <see cref="Nic.TransmitDone"/> and hands received ones in with <see cref="Nic.Deliver"/>. <see cref="Kick"/>
/// (any thread, allocation-free) says the transmit ring has frames. <see cref="IDisposable.Dispose"/> stops
/// the backend's threads and releases its host resources.
/// </summary>
public interface INicBackend : IDisposable
{
    /// <summary>Connects the backend to <paramref name="nic"/> and starts its I/O.</summary>
    void Start(Nic nic);

    /// <summary>Any thread: the card's transmit ring is not empty.</summary>
    void Kick();
}
