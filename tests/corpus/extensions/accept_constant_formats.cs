// expect: accept
using System.Globalization;
using System.Text;
public static class Formats
{
    public static string Row(int pid, double cpu, ulong addr) =>
        $"{pid,6} {cpu,8:F2} 0x{addr:x16} {string.Format(CultureInfo.InvariantCulture, "{0,-4}|{1:D3}", "ok", 7)}";
    public static string Hex(byte b) => b.ToString("X2") + new StringBuilder().AppendFormat("{0:x}", b).ToString();
    public static bool Write(System.Span<char> dest, int v) => v.TryFormat(dest, out _, "D5", CultureInfo.InvariantCulture);
}
