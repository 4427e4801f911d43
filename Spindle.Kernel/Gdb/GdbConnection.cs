using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Spindle.Kernel.Gdb;

/// <summary>
/// The GDB remote serial protocol's framing over one TCP connection on the loopback address: packets
/// <c>$data#cc</c> with a modulo-256 checksum, '+'/'-' acknowledgements until <c>QStartNoAckMode</c>, and the
/// interrupt byte 0x03. Contract: used by one thread at a time (the CPU's, while the target is stopped).
/// </summary>
internal sealed class GdbConnection : IDisposable
{
    private const int MaxPacket = 0x4000;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _packet = new();

    private GdbConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Acknowledgements are off (after <c>QStartNoAckMode</c>).</summary>
    public bool NoAck { get; set; }

    /// <summary>The largest packet this side accepts (announced in qSupported).</summary>
    public static int PacketSize => MaxPacket;

    /// <summary>Waits for one debugger on 127.0.0.1:<paramref name="listener"/>'s port and takes its connection.</summary>
    public static GdbConnection Accept(TcpListener listener)
    {
        var socket = listener.AcceptSocket();
        socket.NoDelay = true;
        return new GdbConnection(socket);
    }

    /// <summary>Opens the listening socket (loopback only).</summary>
    public static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(1);
        return listener;
    }

    /// <summary>
    /// Reads the next packet's data; null when the debugger has gone (end of stream or a reset). An interrupt
    /// byte between packets is answered as the packet "\x03". A packet with a wrong checksum is refused ('-')
    /// and the next one read; one longer than <see cref="PacketSize"/> is refused and dropped.
    /// </summary>
    public string? Read()
    {
        try
        {
            while (true)
            {
                int b = _stream.ReadByte();
                if (b < 0) return null;
                if (b == 0x03) return "\x03";
                if (b != '$') continue;                 // acknowledgements and noise between packets
                _packet.Clear();
                byte sum = 0;
                bool tooLong = false;
                while ((b = _stream.ReadByte()) >= 0 && b != '#')
                {
                    sum += (byte)b;
                    if (_packet.Length < MaxPacket) _packet.Append((char)b);
                    else tooLong = true;
                }
                int hi = _stream.ReadByte(), lo = _stream.ReadByte();
                if (b < 0 || lo < 0) return null;
                bool good = !tooLong && Hex.TryNibble(hi, out int h) && Hex.TryNibble(lo, out int l) && (h << 4 | l) == sum;
                if (!NoAck) _stream.WriteByte(good ? (byte)'+' : (byte)'-');
                if (good) return _packet.ToString();
            }
        }
        catch (IOException) { return null; }
        catch (ObjectDisposedException) { return null; }
    }

    /// <summary>Sends one packet (data in the protocol's 8-bit characters); false if the debugger has gone.
    /// Characters the framing reserves ('#', '$', '}', '*') are escaped.</summary>
    public bool Send(string data)
    {
        var frame = new byte[data.Length * 2 + 4];
        int n = 0;
        byte sum = 0;
        frame[n++] = (byte)'$';
        foreach (char c in data)
        {
            if (c is '#' or '$' or '}' or '*')
            {
                frame[n++] = (byte)'}';
                sum += (byte)'}';
                frame[n++] = (byte)(c ^ 0x20);
                sum += (byte)(c ^ 0x20);
            }
            else
            {
                frame[n++] = (byte)c;
                sum += (byte)c;
            }
        }
        frame[n++] = (byte)'#';
        frame[n++] = (byte)Hex.Digit(sum >> 4);
        frame[n++] = (byte)Hex.Digit(sum & 15);
        try
        {
            _stream.Write(frame, 0, n);
            _stream.Flush();
            return true;
        }
        catch (IOException) { return false; }
        catch (ObjectDisposedException) { return false; }
    }

    /// <summary>True if gdb sent the interrupt byte (0x03) while the program ran; other bytes waiting are dropped.
    /// Costs one system call; the stub asks once per slice of a debugged thread.</summary>
    public bool InterruptPending()
    {
        try
        {
            while (_socket.Available > 0)
                if (_stream.ReadByte() == 0x03) return true;
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        return false;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}

/// <summary>Hexadecimal as the remote protocol writes it (lower case; registers and memory in target byte order).</summary>
internal static class Hex
{
    public static char Digit(int v) => (char)(v < 10 ? '0' + v : 'a' + v - 10);

    public static bool TryNibble(int c, out int v)
    {
        v = c switch { >= '0' and <= '9' => c - '0', >= 'a' and <= 'f' => c - 'a' + 10, >= 'A' and <= 'F' => c - 'A' + 10, _ => -1 };
        return v >= 0;
    }

    /// <summary>Parses a big-endian hexadecimal number (as in addresses and lengths); false if empty, malformed or over 64 bits.</summary>
    public static bool TryNumber(ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 16) return false;
        foreach (char c in s)
        {
            if (!TryNibble(c, out int v)) return false;
            value = value << 4 | (uint)v;
        }
        return true;
    }

    /// <summary>Appends <paramref name="bytes"/> as hexadecimal pairs.</summary>
    public static void Append(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) sb.Append(Digit(b >> 4)).Append(Digit(b & 15));
    }

    /// <summary>Appends a little-endian value of <paramref name="size"/> bytes (a register in the target's order).</summary>
    public static void AppendLittle(StringBuilder sb, ulong value, int size)
    {
        for (int i = 0; i < size; i++, value >>= 8) sb.Append(Digit((int)(value >> 4) & 15)).Append(Digit((int)value & 15));
    }

    /// <summary>Decodes hexadecimal pairs into <paramref name="dest"/>; false if the lengths differ or a digit is bad.</summary>
    public static bool TryBytes(ReadOnlySpan<char> s, Span<byte> dest)
    {
        if (s.Length != dest.Length * 2) return false;
        for (int i = 0; i < dest.Length; i++)
        {
            if (!TryNibble(s[2 * i], out int h) || !TryNibble(s[2 * i + 1], out int l)) return false;
            dest[i] = (byte)(h << 4 | l);
        }
        return true;
    }

    /// <summary>Decodes a little-endian register value of <paramref name="size"/> bytes.</summary>
    public static bool TryLittle(ReadOnlySpan<char> s, int size, out ulong value)
    {
        value = 0;
        Span<byte> b = stackalloc byte[8];
        if (size > 8 || !TryBytes(s, b[..size])) return false;
        for (int i = size - 1; i >= 0; i--) value = value << 8 | b[i];
        return true;
    }
}
