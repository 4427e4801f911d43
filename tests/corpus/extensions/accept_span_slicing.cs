// expect: accept
using System;
public static class Frames
{
    public static int Header(ReadOnlySpan<byte> frame)
    {
        var header = frame[..4];
        var rest = frame.Slice(4);
        Span<int> counts = new int[4];
        counts[0] = rest.Length;
        return header[0] + counts[0];
    }
    public static ReadOnlySpan<byte> Magic => "SPIN"u8;
    public static ReadOnlySpan<int> Table => [1, 2, 3, 5, 8];
}
