using System.Text;

namespace Spindle.System.Tests.Differential;

/// <summary>Explains how two program outputs differ, for assertion messages.</summary>
public static class OutputDiff
{
    /// <summary>
    /// Returns null if <paramref name="expected"/> and <paramref name="actual"/> are byte-identical, else a
    /// message naming the first differing line (1-based) and showing both versions of it.
    /// </summary>
    public static string? FirstDifference(byte[] expected, byte[] actual)
    {
        if (expected.AsSpan().SequenceEqual(actual)) return null;
        string[] e = Encoding.UTF8.GetString(expected).Split('\n'), a = Encoding.UTF8.GetString(actual).Split('\n');
        int n = Math.Min(e.Length, a.Length), i = 0;
        while (i < n && e[i] == a[i]) i++;
        string Line(string[] ls) => i < ls.Length ? Quote(ls[i]) : "<end of output>";
        return $"stdout differs at line {i + 1} (qemu {expected.Length} bytes, spindle {actual.Length} bytes)\n" +
               $"  qemu:    {Line(e)}\n  spindle: {Line(a)}";
    }

    // Shows s with control characters escaped and a length cap.
    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s.Length > 300 ? s[..300] : s)
            sb.Append(c < ' ' ? $"\\x{(int)c:x2}" : c.ToString());
        return sb.Append(s.Length > 300 ? "\"..." : "\"").ToString();
    }
}
