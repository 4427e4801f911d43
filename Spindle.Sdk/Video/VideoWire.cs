using System.Buffers.Binary;

namespace Spindle.Sdk.Video;

/// <summary>
/// The video stream's wire format over UDP, shared by the in-kernel server and client and their user-level twins
/// (user/video): a subscriber sends <see cref="Subscribe"/> (or <see cref="Unsubscribe"/>) to the server's port
/// <see cref="ServerPort"/> from its own port; the server sends every subscriber each frame as packets of whole
/// rows, each packet a <see cref="HeaderBytes"/>-byte header then the rows' pixels (XRGB8888, as the frame buffer):
/// <code>
/// 0  u32  magic "SPVD"
/// 4  u32  frame number (counting from 0)
/// 8  u16  frame width      10 u16 frame height
/// 12 u16  first row        14 u16 rows in this packet
/// 16      rows × width × 4 bytes of pixels
/// </code>
/// All fields big-endian. Contract: pure helpers; a header that does not fit the packet is refused by <see cref="TryRead"/>.
/// </summary>
public static class VideoWire
{
    /// <summary>The server's UDP port.</summary>
    public const ushort ServerPort = 5004;

    /// <summary>The port the in-kernel client listens on.</summary>
    public const ushort ClientPort = 5005;

    /// <summary>Bytes of the header.</summary>
    public const int HeaderBytes = 16;

    /// <summary>"SPVD".</summary>
    public const uint Magic = 0x53505644;

    /// <summary>The most pixel bytes a packet carries (so that a packet fits one Ethernet frame).</summary>
    public const int MaxPayload = 1400;

    /// <summary>The datagram a subscriber sends.</summary>
    public static ReadOnlySpan<byte> Subscribe => "SUBSCRIBE"u8;

    /// <summary>The datagram that ends a subscription.</summary>
    public static ReadOnlySpan<byte> Unsubscribe => "UNSUBSCRIBE"u8;

    /// <summary>Rows of a frame <paramref name="width"/> wide that one packet carries.</summary>
    public static int RowsPerPacket(int width) => Math.Max(1, MaxPayload / (width * 4));

    /// <summary>Writes a header into <paramref name="into"/> (at least <see cref="HeaderBytes"/>).</summary>
    public static void Write(Span<byte> into, uint frame, int width, int height, int firstRow, int rows)
    {
        BinaryPrimitives.WriteUInt32BigEndian(into, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(into[4..], frame);
        BinaryPrimitives.WriteUInt16BigEndian(into[8..], (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(into[10..], (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(into[12..], (ushort)firstRow);
        BinaryPrimitives.WriteUInt16BigEndian(into[14..], (ushort)rows);
    }

    /// <summary>Reads a packet's header; false unless the magic is right, the rows lie inside the frame and the
    /// packet holds exactly their pixels.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out uint frame, out int width, out int height, out int firstRow, out int rows)
    {
        frame = 0;
        width = height = firstRow = rows = 0;
        if (packet.Length < HeaderBytes || BinaryPrimitives.ReadUInt32BigEndian(packet) != Magic) return false;
        frame = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        width = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        height = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        firstRow = BinaryPrimitives.ReadUInt16BigEndian(packet[12..]);
        rows = BinaryPrimitives.ReadUInt16BigEndian(packet[14..]);
        return width > 0 && rows > 0 && firstRow + rows <= height && packet.Length - HeaderBytes == (long)rows * width * 4;
    }
}
