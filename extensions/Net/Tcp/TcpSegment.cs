using System;
using System.Buffers.Binary;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

/// <summary>TCP's header flags.</summary>
internal static class TcpFlags
{
    public const byte Fin = 1, Syn = 2, Rst = 4, Psh = 8, Ack = 16, Urg = 32;
}

/// <summary>
/// A received segment's header, parsed from its bytes (RFC 793 section 3.1, options of RFC 793 and 7323). Only
/// <see cref="TryParse"/> makes one: the header length, the checksum and the options' lengths are checked
/// there; a malformed option list ends the parse of options (the rest are ignored, as Linux does), never the
/// segment. Nothing is allocated: the payload is a range of the packet.
/// </summary>
internal readonly record struct TcpSegment(ushort SourcePort, ushort DestinationPort, uint Sequence, uint Acknowledgment,
    byte Flags, ushort Window, int HeaderBytes, int PayloadBytes, ushort Mss, int WindowShift)
{
    public const int MinHeaderBytes = 20;

    public bool Has(byte flag) => (Flags & flag) != 0;

    /// <summary>Sequence space the segment occupies: its payload, plus one for SYN and one for FIN.</summary>
    public int SequenceLength => PayloadBytes + (Has(TcpFlags.Syn) ? 1 : 0) + (Has(TcpFlags.Fin) ? 1 : 0);

    /// <summary>
    /// Parses the segment in <paramref name="d"/> (the IP payload) sent from <paramref name="source"/> to
    /// <paramref name="destination"/>; false for a short segment, a data offset outside the segment, or a bad checksum.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> d, uint source, uint destination, out TcpSegment segment)
    {
        segment = default;
        if (d.Length < MinHeaderBytes) return false;
        int header = (d[12] >> 4) * 4;
        if (header < MinHeaderBytes || header > d.Length) return false;
        if (IpProtocol.Checksum(d, PseudoHeader(source, destination, d.Length)) != 0) return false;
        ushort mss = 0;
        int shift = -1;
        ParseOptions(d[MinHeaderBytes..header], ref mss, ref shift);
        segment = new TcpSegment(BinaryPrimitives.ReadUInt16BigEndian(d), BinaryPrimitives.ReadUInt16BigEndian(d[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(d[4..]), BinaryPrimitives.ReadUInt32BigEndian(d[8..]), (byte)(d[13] & 0x3f),
            BinaryPrimitives.ReadUInt16BigEndian(d[14..]), header, d.Length - header, mss, shift);
        return true;
    }

    // Reads MSS (kind 2, length 4) and window scale (kind 3, length 3); a length under 2 or past the end stops the walk.
    private static void ParseOptions(ReadOnlySpan<byte> o, ref ushort mss, ref int shift)
    {
        int i = 0;
        while (i < o.Length)
        {
            byte kind = o[i];
            if (kind == 0) return;
            if (kind == 1) { i++; continue; }
            if (i + 1 >= o.Length) return;
            int length = o[i + 1];
            if (length < 2 || i + length > o.Length) return;
            if (kind == 2 && length == 4) mss = BinaryPrimitives.ReadUInt16BigEndian(o[(i + 2)..]);
            else if (kind == 3 && length == 3) shift = Math.Min((int)o[i + 2], 14);
            i += length;
        }
    }

    /// <summary>The unfolded one's-complement sum of the IPv4 pseudo-header for a TCP segment of <paramref name="length"/> bytes.</summary>
    public static uint PseudoHeader(uint source, uint destination, int length) =>
        (source >> 16) + (source & 0xffff) + (destination >> 16) + (destination & 0xffff) + IpProtocol.Tcp + (uint)length;

    /// <summary>
    /// Writes a header of <paramref name="headerBytes"/> (20, or 24/28 with the SYN's options) in front of the
    /// payload already in <paramref name="packet"/>, and its checksum. Caller: the packet has the headroom.
    /// </summary>
    public static void Write(Mbuf packet, uint source, uint destination, ushort sourcePort, ushort destinationPort, uint sequence,
        uint acknowledgment, byte flags, ushort window, ushort mss, int windowShift)
    {
        int headerBytes = MinHeaderBytes + (mss != 0 ? 4 : 0) + (windowShift >= 0 ? 4 : 0);
        var h = packet.Prepend(headerBytes);
        BinaryPrimitives.WriteUInt16BigEndian(h, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(h[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(h[8..], acknowledgment);
        h[12] = (byte)(headerBytes / 4 << 4);
        h[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(h[14..], window);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], 0);        // checksum and urgent pointer
        int o = MinHeaderBytes;
        if (mss != 0)
        {
            h[o] = 2; h[o + 1] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(h[(o + 2)..], mss);
            o += 4;
        }
        if (windowShift >= 0) { h[o] = 1; h[o + 1] = 3; h[o + 2] = 3; h[o + 3] = (byte)windowShift; }
        var d = packet.Data;
        BinaryPrimitives.WriteUInt16BigEndian(h[16..], IpProtocol.Checksum(d, PseudoHeader(source, destination, d.Length)));
    }
}

/// <summary>Sequence-number arithmetic modulo 2^32 (RFC 793 section 3.3).</summary>
internal static class Seq
{
    public static bool Lt(uint a, uint b) => (int)(a - b) < 0;
    public static bool Le(uint a, uint b) => (int)(a - b) <= 0;
    public static bool Gt(uint a, uint b) => (int)(a - b) > 0;
    public static bool Ge(uint a, uint b) => (int)(a - b) >= 0;
}
