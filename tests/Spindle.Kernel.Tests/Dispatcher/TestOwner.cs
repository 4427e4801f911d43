using Spindle.Kernel.Dispatcher;

namespace Spindle.Kernel.Tests.Dispatcher;

/// <summary>An owner that records the faults charged to it.</summary>
internal sealed class TestOwner(string name, long fuel = 0) : IHandlerOwner
{
    public string Name => name;
    public long Fuel => fuel;
    public List<Exception> Faults { get; } = [];
    public void ChargeFault(Exception fault) => Faults.Add(fault);
}

/// <summary>A system-call trap argument: the call number is the guardable field.</summary>
public readonly record struct Trap(long Number, long A0);

/// <summary>A packet-like argument with an enum and a string field.</summary>
public enum Proto { Tcp = 6, Udp = 17 }

/// <summary>A reference-type argument with a nested reference.</summary>
public sealed class Packet
{
    public Proto Proto;
    public Header? Header;
    public string Tag { get; init; } = "";
}

/// <summary>A nested reference read by a key path.</summary>
public sealed class Header
{
    public int Port;
}
