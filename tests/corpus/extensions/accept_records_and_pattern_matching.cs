// expect: accept
public abstract record Packet(int Port);
public sealed record Udp(int Port, int Length) : Packet(Port);
public sealed record Tcp(int Port, bool Syn) : Packet(Port);
public static class Classify
{
    public static string Kind(Packet p) => p switch
    {
        Udp { Length: > 512 } => "big udp",
        Udp u => $"udp {u.Port}",
        Tcp { Syn: true } t => "syn " + t,
        _ => "other",
    };
}
