using Spindle.Kernel.Boot;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Net;
using Spindle.Machine.Devices;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Tests.Net;

/// <summary>
/// A kernel with a card and the standard protocol stack loaded on it, and no program: the tests drive it by
/// pumping its CPU (<see cref="Pump"/>) and reach the stack through the services its extensions exported.
/// </summary>
internal sealed class NetNode : IDisposable
{
    /// <summary>The protocol stack the command line loads (Spindle.Cli's NetOptions.StandardStack).</summary>
    public static readonly IReadOnlyList<string> Protocols = ["Net/Ether", "Net/Arp", "Net/Ip", "Net/Icmp", "Net/Udp", "Net/UdpEcho", "Net/Tcp", "Net/TcpEcho"];

    /// <param name="home">The extension cache.</param>
    /// <param name="backend">The card's link.</param>
    /// <param name="mac">The card's address.</param>
    /// <param name="address">The system's IPv4 address and prefix.</param>
    /// <param name="machine">Adds devices to the kernel before any extension is linked (a disk, a frame buffer).</param>
    /// <param name="before">Extensions loaded before the stack (e.g. Fs/Ext2, for an application that mounts a disk).</param>
    /// <param name="applications">Extensions loaded on top of the stack (e.g. Apps/VideoServer).</param>
    public NetNode(string home, INicBackend backend, ulong mac, string address, Action<KernelRoot>? machine = null,
        IReadOnlyList<string>? before = null, IReadOnlyList<string>? applications = null)
    {
        Kernel = new KernelRoot(new KernelOptions(MemoryBytes: 16UL << 20));
        Nic = new Nic("eth0", mac, backend);
        Nic.Attach(Kernel.Lines);
        machine?.Invoke(Kernel);
        var manager = ExtensionManager.ForKernel(Kernel, home);
        foreach (string name in before ?? [])
            Assert.True(manager.Load(ExtensionSources.Find(name, out string? missing) ?? throw new InvalidOperationException(missing), out string? error) != null, error);
        Stack = NetStack.Start(Kernel, manager, new NetworkDescription(Nic, NetAddress.Parse(address, null, out _)!, [.. Protocols, .. applications ?? []]));
        Udp = Stack.Find<IUdp>()!;
        Icmp = Stack.Find<IIcmp>()!;
        Arp = Stack.Find<IArp>()!;
        Ip = Stack.Find<IIp>()!;
        Tcp = Stack.Find<ITcp>()!;
        Test = Kernel.Dispatcher.For(new KernelOwner("test"));
    }

    public KernelRoot Kernel { get; }
    public Nic Nic { get; }
    public NetStack Stack { get; }
    public IUdp Udp { get; }
    public IIcmp Icmp { get; }
    public IArp Arp { get; }
    public IIp Ip { get; }
    public ITcp Tcp { get; }

    /// <summary>The dispatcher as the test (a trusted kernel module) installs through it.</summary>
    public Sdk.Dispatcher.IDispatcher Test { get; }

    /// <summary>
    /// Runs the CPU until nothing is ready: pending lines are drained, so received frames go up the stack, and
    /// timers already due fire. It does not idle until later timers (TCP keeps its alarm armed while a
    /// connection has a timeout pending), so two nodes can be pumped in turn.
    /// </summary>
    public void Pump()
    {
        while (Kernel.Scheduler.Step()) { }
    }

    /// <summary>Sends <paramref name="payload"/> by UDP from <paramref name="sourcePort"/>; false if the stack did not send it.</summary>
    public bool SendUdp(uint destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        Assert.True(Kernel.Packets.TryAllocate(EtherType.UdpHeadroom + NetInterface.Headroom, out var packet));
        try
        {
            payload.CopyTo(packet.Append(payload.Length));
            return Udp.Send(destination, sourcePort, destinationPort, packet);
        }
        finally { Kernel.Packets.Free(packet); }
    }

    /// <summary>
    /// Pumps both nodes until <paramref name="done"/> holds, sleeping on a bell between rounds; false if it has not
    /// after <paramref name="seconds"/> (a bound for a loaded machine, never a performance assertion).
    /// </summary>
    public static bool PumpUntil(NetNode a, NetNode b, Func<bool> done, double seconds = 60)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            a.Pump();
            b.Pump();
            if (done()) return true;
            if (!a.Kernel.Scheduler.Bell.IsRung && !b.Kernel.Scheduler.Bell.IsRung) a.Kernel.Scheduler.Bell.Wait(1_000_000);
        }
        return false;
    }

    /// <summary>Calls <paramref name="send"/> now and every <paramref name="everyMs"/> while pumping, until <paramref name="done"/> holds (bounded).</summary>
    public static bool Retry(NetNode a, NetNode b, Action send, Func<bool> done, int everyMs = 200)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long last = -everyMs;
        return PumpUntil(a, b, () =>
        {
            if (done()) return true;
            if (clock.ElapsedMilliseconds - last >= everyMs) { last = clock.ElapsedMilliseconds; send(); }
            return false;
        });
    }

    /// <summary>The stack's extensions that faulted, with their last fault (empty when none did).</summary>
    public string Faults => string.Join("; ", Stack.Extensions.Where(e => e.Domain.Faults > 0 || e.Domain.IsDestroyed)
        .Select(e => $"{e.Domain.Name}: {e.Domain.Faults} faults{(e.Domain.IsDestroyed ? ", destroyed" : "")}: {e.Domain.LastFault}"));

    public void Dispose()
    {
        Stack.Dispose();
        Kernel.Dispose();
    }
}
