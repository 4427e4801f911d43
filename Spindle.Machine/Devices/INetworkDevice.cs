namespace Spindle.Machine.Devices;

/// <summary>
/// A network interface card that moves Ethernet frames (<see cref="Nic"/>, with a TAP or in-process wire
/// backend behind it).
/// <para>
/// Contract. <see cref="TryTransmit"/> copies one whole frame (14-byte header included, at most
/// <see cref="Mtu"/> + 14 bytes) into the device's transmit ring and returns false, copying nothing, when
/// the ring is full; the device raises its line when room comes back. The device raises its line when
/// frames have arrived; <see cref="Receive"/> then copies one frame out per call (0 when none is left,
/// -EMSGSIZE (-90) if the buffer is shorter than the frame, which stays queued). Both are called on the
/// CPU's thread and never wait; the caller's buffers are not kept. Neither allocates per frame.
/// </para>
/// </summary>
public interface INetworkDevice : IDevice
{
    /// <summary>The card's 48-bit MAC address (the first octet in bits 40..47).</summary>
    ulong MacAddress { get; }

    /// <summary>The largest payload a frame carries (1500 for Ethernet).</summary>
    int Mtu { get; }

    /// <summary>Queues <paramref name="frame"/> for sending; false if the transmit ring is full.</summary>
    bool TryTransmit(ReadOnlySpan<byte> frame);

    /// <summary>
    /// CPU thread, before the CPU runs: <paramref name="handler"/> runs on the CPU's thread every time the line
    /// is raised (frames arrived, or transmit room came back; one run may stand for many).
    /// </summary>
    void Watch(Action handler);

    /// <summary>Takes the oldest received frame into <paramref name="frame"/>: its length, 0 if none, or -EMSGSIZE.</summary>
    int Receive(Span<byte> frame);
}
