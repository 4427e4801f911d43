// expect: accept
using System.Text;
public static class Text
{
    public static string Join(string[] parts) { var sb = new StringBuilder(); foreach (var p in parts) sb.Append(p).Append(','); return sb.ToString().TrimEnd(','); }
    public static string Switch(string s) => s switch { "a" => "1", "b" => "2", "c" => "3", "d" => "4", "e" => "5", "f" => "6", "g" => "7", _ => "?" };
}
