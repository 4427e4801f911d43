// expect: reject cost
using System.Text;
public static class Grow { public static int Big(StringBuilder sb, int n) { sb.Length = n; return sb.Length; } }
