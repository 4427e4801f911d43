using System.Buffers.Binary;
using System.IO.Compression;

namespace Spindle.Machine.Devices;

/// <summary>
/// Saves what a display shows as a PNG (8-bit RGB, no filtering, zlib-compressed by the base library), so a
/// person can look at it. Contract: host-side; reads the display's pixels once, row by row.
/// </summary>
public static class PngSnapshot
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>Writes <paramref name="display"/>'s picture to <paramref name="stream"/>.</summary>
    public static void Write(IDisplayDevice display, Stream stream)
    {
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, display.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), display.Height);
        header[8] = 8;          // bits per sample
        header[9] = 2;          // colour type: RGB
        Chunk(stream, "IHDR", header);
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[display.Stride];
            var rgb = new byte[1 + display.Width * 3];     // filter byte 0, then R G B per pixel
            for (int y = 0; y < display.Height; y++)
            {
                display.Read((long)y * display.Stride, row);
                for (int x = 0; x < display.Width; x++)
                {
                    rgb[1 + 3 * x] = row[4 * x + 2];
                    rgb[2 + 3 * x] = row[4 * x + 1];
                    rgb[3 + 3 * x] = row[4 * x];
                }
                z.Write(rgb);
            }
        }
        Chunk(stream, "IDAT", raw.ToArray());
        Chunk(stream, "IEND", []);
    }

    /// <summary>Writes the picture to the file <paramref name="path"/>.</summary>
    public static void Save(IDisplayDevice display, string path)
    {
        using var file = File.Create(path);
        Write(display, file);
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typed = new byte[4 + data.Length];
        for (int i = 0; i < 4; i++) typed[i] = (byte)type[i];
        data.CopyTo(typed, 4);
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc(typed));
        stream.Write(word);
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint c = 0xffffffff;
        foreach (byte b in data) c = CrcTable[(c ^ b) & 0xff] ^ (c >> 8);
        return c ^ 0xffffffff;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
