using Spindle.Kernel.Boot;
using Spindle.Kernel.Net;
using Spindle.Machine.Devices;

namespace Spindle.Cli;

/// <summary>
/// The network options <c>spindle run</c> and <c>spindle boot</c> share, as QEMU spells them:
/// <c>--net tap:NAME|udp:LOCALPORT:REMOTEPORT [--ip ADDR/PREFIX] [--gateway ADDR] [--mac XX:XX:XX:XX:XX:XX]</c>.
/// With <c>--net</c> the system gets a card (<see cref="Nic"/>, MAC 52:54:00:12:34:56 unless <c>--mac</c> says
/// otherwise) on the host TAP interface NAME, or on a UDP tunnel between two loopback ports (two spindle
/// processes on one link: give them different MACs and addresses), and loads the protocol stack
/// (<see cref="StandardStack"/>), then each <c>--net-ext NAME</c> (an extension under extensions/, e.g. Apps/Http, the
/// in-kernel web server); the address is 10.0.2.15/24 unless <c>--ip</c> says otherwise.
/// </summary>
internal sealed class NetOptions
{
    /// <summary>The usage text of the options.</summary>
    public const string Usage = "[--net tap:NAME|udp:LOCALPORT:REMOTEPORT [--ip ADDR/PREFIX] [--gateway ADDR] [--mac MAC] [--net-ext NAME]...]";

    /// <summary>Plexus's stack as standard extensions, bottom first: Ethernet, ARP, IPv4, ICMP, UDP, the UDP echo, TCP, the TCP echo and discard.</summary>
    public static readonly IReadOnlyList<string> StandardStack = ["Net/Ether", "Net/Arp", "Net/Ip", "Net/Icmp", "Net/Udp", "Net/UdpEcho", "Net/Tcp", "Net/TcpEcho"];

    /// <summary>The card's MAC address (QEMU's first).</summary>
    public const ulong Mac = 0x52_54_00_12_34_56;

    private string? _net, _ip, _gateway, _mac;
    private readonly List<string> _extra = [];

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
            case "--mac": slot = ref _mac; break;
            case "--net-ext":
                if (i + 1 >= args.Length) { error = "--net-ext needs an extension (e.g. Apps/Http)"; return true; }
                _extra.Add(args[++i]);
                return true;
            default: return false;
        }
        if (i + 1 >= args.Length) { error = $"{args[i]} needs a value"; return true; }
        slot = args[++i];
        return true;
    }

    /// <summary>The network described, or null (no --net); null and <paramref name="error"/> if the options are wrong or the backend does not open.</summary>
    public NetworkDescription? Build(out string? error)
    {
        error = null;
        if (_net == null)
        {
            if (_ip != null || _gateway != null || _mac != null || _extra.Count > 0) error = "--ip, --gateway, --mac and --net-ext need --net";
            return null;
        }
        var address = NetAddress.Parse(_ip ?? "10.0.2.15/24", _gateway, out error);
        if (address == null) return null;
        ulong mac = Mac;
        if (_mac != null && !TryParseMac(_mac, out mac)) { error = $"--mac {_mac}: expected a unicast XX:XX:XX:XX:XX:XX"; return null; }
        INicBackend? backend;
        if (_net.StartsWith("tap:", StringComparison.Ordinal)) backend = NetTap.Open(_net[4..], out error);
        else if (_net.Split(':') is ["udp", var local, var remote] && int.TryParse(local, out int l) && int.TryParse(remote, out int r))
            backend = NetUdpTunnel.Open(l, r, out error);
        else
        {
            error = $"--net {_net}: expected tap:NAME or udp:LOCALPORT:REMOTEPORT (the in-process wire links two systems in one process: tests use it)";
            return null;
        }
        return backend == null ? null : new NetworkDescription(new Nic("eth0", mac, backend), address, [.. StandardStack, .. _extra]);
    }

    // Six hexadecimal octets separated by colons, not a group address.
    private static bool TryParseMac(string text, out ulong mac)
    {
        mac = 0;
        var parts = text.Split(':');
        if (parts.Length != 6) return false;
        foreach (var part in parts)
        {
            if (part.Length != 2 || !byte.TryParse(part, System.Globalization.NumberStyles.HexNumber, null, out byte b)) return false;
            mac = mac << 8 | b;
        }
        return (mac & (1UL << 40)) == 0;
    }
}
