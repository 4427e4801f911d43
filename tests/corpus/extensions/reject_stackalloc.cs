// expect: reject stackalloc
public static class S { public static int Sum() { System.Span<int> buf = stackalloc int[16]; return buf.Length; } }
