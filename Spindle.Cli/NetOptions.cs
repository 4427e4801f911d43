using Spindle.Kernel.Boot;
using Spindle.Kernel.Net;
using Spindle.Machine.Devices;

namespace Spindle.Cli;

/// <summary>
/// The network options <c>spindle run</c> and <c>spindle boot</c> share, as QEMU spells them:
/// <c>--net tap:NAME [--ip ADDR/PREFIX] [--gateway ADDR]</c>. With <c>--net</c> the system gets a card
/// (<see cref="Nic"/>, MAC 52:54:00:12:34:56) on the host TAP interface NAME and loads the protocol stack
/// (<see cref="StandardStack"/>); the address is 10.0.2.15/24 unless <c>--ip</c> says otherwise.
/// </summary>
internal sealed class NetOptions
{
    /// <summary>The usage text of the options.</summary>
    public const string Usage = "[--net tap:NAME [--ip ADDR/PREFIX] [--gateway ADDR]]";

    /// <summary>Plexus's stack as standard extensions, bottom first: Ethernet, ARP, IPv4, ICMP, UDP, the UDP echo.</summary>
    public static readonly IReadOnlyList<string> StandardStack = ["Net/Ether", "Net/Arp", "Net/Ip", "Net/Icmp", "Net/Udp", "Net/UdpEcho"];

    /// <summary>The card's MAC address (QEMU's first).</summary>
    public const ulong Mac = 0x52_54_00_12_34_56;

    private string? _net, _ip, _gateway;

    /// <summary>True if the option at <paramref name="i"/> is one of these (consumed, <paramref name="i"/> moved past its value); <paramref name="error"/> if its value is missing.</summary>
    public bool TryTake(string[] args, ref int i, out string? error)
    {
        error = null;
        ref string? slot = ref _net;
        switch (args[i])
        {
            case "--net": break;
            case "--ip": slot = ref _ip; break;
            case "--gateway": slot = ref _gateway; break;
            default: return false;
        }
        if (i + 1 >= args.Length) { error = $"{args[i]} needs a value"; return true; }
        slot = args[++i];
        return true;
    }

    /// <summary>The network described, or null (no --net); null and <paramref name="error"/> if the options are wrong or the TAP device does not open.</summary>
    public NetworkDescription? Build(out string? error)
    {
        error = null;
        if (_net == null)
        {
            if (_ip != null || _gateway != null) error = "--ip and --gateway need --net";
            return null;
        }
        var address = NetAddress.Parse(_ip ?? "10.0.2.15/24", _gateway, out error);
        if (address == null) return null;
        if (!_net.StartsWith("tap:", StringComparison.Ordinal))
        {
            error = $"--net {_net}: expected tap:NAME (the in-process wire links two systems in one process: tests and the bench use it)";
            return null;
        }
        var tap = NetTap.Open(_net[4..], out error);
        return tap == null ? null : new NetworkDescription(new Nic("eth0", Mac, tap), address, StandardStack);
    }
}
