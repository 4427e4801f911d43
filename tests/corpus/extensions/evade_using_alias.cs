// expect: reject io
using Disk = System.IO.File;
public static class Sneaky { public static bool Probe() => Disk.Exists("/etc/shadow"); }
