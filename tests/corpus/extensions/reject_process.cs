// expect: reject process
public static class P { public static void Run() => System.Diagnostics.Process.Start("/bin/sh"); }
