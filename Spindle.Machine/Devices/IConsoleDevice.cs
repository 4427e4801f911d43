namespace Spindle.Machine.Devices;

/// <summary>
/// A console: a byte stream in (stream 0) and two out (1 and 2), like a UART with a receive FIFO.
/// <para>
/// Contract. Results are byte counts or a negated errno number. Once attached, <see cref="Receive"/> never
/// waits: it answers <see cref="NothingYet"/> until bytes or the end of input arrive, and the device raises
/// its interrupt line when they do (one raise may stand for many arrivals: look at
/// <see cref="CanReceive"/>). <see cref="Transmit"/> may buffer; <see cref="Flush"/> writes it all out.
/// Receive and Transmit are called on the CPU's thread.
/// </para>
/// </summary>
public interface IConsoleDevice : IDevice
{
    /// <summary><see cref="Receive"/>'s answer while nothing has arrived (-EAGAIN).</summary>
    public const long NothingYet = -11;

    /// <summary>True if <see cref="Receive"/> would not answer <see cref="NothingYet"/>.</summary>
    bool CanReceive { get; }

    /// <summary>Moves received bytes out: the count, 0 at end of input, <see cref="NothingYet"/>, or the backend's -errno.</summary>
    long Receive(Span<byte> buffer);

    /// <summary>Writes <paramref name="buffer"/> to output stream <paramref name="stream"/> (1 or 2); the count or -errno.</summary>
    long Transmit(int stream, ReadOnlySpan<byte> buffer);

    /// <summary>Writes out whatever <see cref="Transmit"/> buffered.</summary>
    void Flush();
}
