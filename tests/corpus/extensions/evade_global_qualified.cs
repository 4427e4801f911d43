// expect: reject environment
public static class Sneaky { public static string Home() => global::System.Environment.GetEnvironmentVariable("HOME") ?? ""; }
