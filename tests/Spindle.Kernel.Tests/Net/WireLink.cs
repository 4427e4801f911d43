using Spindle.Machine.Devices;

namespace Spindle.Kernel.Tests.Net;

/// <summary>Two systems on one wire: 10.0.0.1 (<see cref="A"/>) and 10.0.0.2 (<see cref="B"/>), each with the standard stack.</summary>
internal sealed class WireLink : IDisposable
{
    public const ulong MacA = 0x02_00_00_00_00_0a, MacB = 0x02_00_00_00_00_0b;
    public const uint IpA = 0x0a000001, IpB = 0x0a000002;

    public readonly NetWire Wire;
    public readonly NetNode A, B;

    public WireLink(string home, NetFaults? faults = null)
    {
        Wire = new NetWire(faults);
        A = new NetNode(home, Wire.EndA, MacA, "10.0.0.1/24");
        B = new NetNode(home, Wire.EndB, MacB, "10.0.0.2/24");
    }

    /// <summary>Pumps both until <paramref name="done"/> holds; false after <paramref name="seconds"/> (see <see cref="NetNode.PumpUntil"/>).</summary>
    public bool PumpUntil(Func<bool> done, double seconds = 120) => NetNode.PumpUntil(A, B, done, seconds);

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        Wire.Dispose();
    }
}
