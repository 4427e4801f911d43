// expect: reject network
using System.Net.Sockets;
public static class N { public static object Open() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp); }
