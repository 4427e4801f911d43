// expect: reject io
using System;
public static class Sneaky { public static Func<string, bool> Probe = System.IO.File.Exists; }
