// expect: reject io
public static class F { public static string Read() => System.IO.File.ReadAllText("/etc/passwd"); }
