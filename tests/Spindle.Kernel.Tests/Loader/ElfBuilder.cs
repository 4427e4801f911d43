using System.Buffers.Binary;

namespace Spindle.Kernel.Tests.Loader;

/// <summary>
/// Writes small synthetic RV64 ELF files for cases a compiler does not produce on demand
/// (segments sharing a page, file bytes past p_filesz, PT_PHDR, images placed anywhere).
/// The program header table sits right after the ELF header; segment bytes come from <see cref="Contents"/>.
/// </summary>
public sealed class ElfBuilder
{
    public record Segment(uint Type, uint Flags, ulong Offset, ulong Vaddr, ulong FileSize, ulong MemSize, ulong Align = 0x1000);

    public const uint PtLoad = 1, PtPhdr = 6, PfX = 1, PfW = 2, PfR = 4;
    public ushort Type { get; init; } = 2;
    public ulong Entry { get; init; }
    public List<Segment> Segments { get; } = new();
    /// <summary>Bytes placed at file offsets; the file is as long as the furthest byte or table.</summary>
    public SortedDictionary<ulong, byte[]> Contents { get; } = new();

    public byte[] Build()
    {
        ulong length = 64 + 56 * (ulong)Segments.Count;
        foreach (var s in Segments) length = Math.Max(length, s.Type == PtLoad ? s.Offset + s.FileSize : 0);
        foreach (var (at, bytes) in Contents) length = Math.Max(length, at + (ulong)bytes.Length);
        var f = new byte[length];
        foreach (var (at, bytes) in Contents) bytes.CopyTo(f, (int)at);
        f[0] = 0x7f; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F'; f[4] = 2; f[5] = 1; f[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(16), Type);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(18), 243);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(f.AsSpan(24), Entry);
        BinaryPrimitives.WriteUInt64LittleEndian(f.AsSpan(32), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(52), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(54), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(56), (ushort)Segments.Count);
        for (int i = 0; i < Segments.Count; i++)
        {
            var s = Segments[i];
            Span<byte> ph = f.AsSpan(64 + 56 * i, 56);
            BinaryPrimitives.WriteUInt32LittleEndian(ph, s.Type);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], s.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], s.Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], s.Vaddr);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], s.Vaddr);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], s.FileSize);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], s.MemSize);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], s.Align);
        }
        return f;
    }
}
