namespace Spindle.Kernel.Compiler;

/// <summary>
/// Format strings the source policy admits. A standard numeric format's precision ("D999999999") and a composite
/// format's alignment ("{0,1000000}") make the base library write that many characters from a few bytes of format,
/// which no size the meter sees can charge; so formats must be constants in the source, with small ones.
/// </summary>
internal static class FormatStrings
{
    /// <summary>The largest precision or alignment a format may ask for.</summary>
    public const int MaxWidth = 256;

    /// <summary>
    /// Returns why <paramref name="format"/> (a plain format such as "X8", or a composite one such as "{0,-8:F2}")
    /// asks for too wide an output, or null if it does not. Malformed formats are left for the base library to refuse.
    /// </summary>
    public static string? TooWide(string format) => PrecisionTooLarge(format) ?? HoleTooWide(format);

    /// <summary>Returns why an interpolation hole's alignment is too wide, or null.</summary>
    public static string? AlignmentTooWide(long alignment) =>
        Math.Abs(alignment) > MaxWidth ? $"alignment {alignment} is wider than {MaxWidth}" : null;

    // A standard format: one letter and a precision.
    private static string? PrecisionTooLarge(string format)
    {
        if (format.Length < 2 || !char.IsAsciiLetter(format[0])) return null;
        foreach (char c in format.AsSpan(1)) if (!char.IsAsciiDigit(c)) return null;
        return format.Length - 1 > 3 || int.Parse(format.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) > MaxWidth
            ? $"precision {format[1..]} is larger than {MaxWidth}" : null;
    }

    // The holes {index[,alignment][:format]} of a composite format; {{ and }} are literal braces.
    private static string? HoleTooWide(string format)
    {
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '{') continue;
            if (i + 1 < format.Length && format[i + 1] == '{') { i++; continue; }
            int end = format.IndexOf('}', i);
            if (end < 0) return null;
            var hole = format.AsSpan(i + 1, end - i - 1);
            int colon = hole.IndexOf(':');
            var head = colon < 0 ? hole : hole[..colon];
            int comma = head.IndexOf(',');
            if (comma >= 0)
            {
                if (!long.TryParse(head[(comma + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture, out long alignment))
                    return "its alignment is not a number";
                if (AlignmentTooWide(alignment) is { } wide) return wide;
            }
            if (colon >= 0 && PrecisionTooLarge(hole[(colon + 1)..].ToString()) is { } large) return large;
            i = end;
        }
        return null;
    }
}
