namespace Spindle.Machine.Devices;

/// <summary>
/// What every device of the machine has: a name and one interrupt line. The device model follows
/// Theseus: a small trait per kind of device (<see cref="IConsoleDevice"/>, <see cref="INetworkDevice"/>,
/// <see cref="IBlockDevice"/>) that the kernel and extensions program against, with the backends (host
/// streams, a test double, later a TAP device or an image file) behind it.
/// <para>
/// Contract: boot code calls <see cref="Attach"/> once, before the CPU runs; the device claims its line
/// on <paramref name="lines"/> there, registering the handler the kernel runs on the CPU's thread when
/// the line is raised. From then on the device raises the line from whichever host thread its backend
/// runs on, and never calls into the kernel from that thread.
/// </para>
/// </summary>
public interface IDevice
{
    /// <summary>The device's name (for messages and the line's name).</summary>
    string Name { get; }

    /// <summary>The interrupt line the device raises; -1 until attached.</summary>
    int InterruptLine { get; }

    /// <summary>Attaches the device to the machine: it claims its interrupt line on <paramref name="lines"/>. Call once, before the CPU runs.</summary>
    void Attach(InterruptLines lines);
}
