// expect: reject io
using System.Linq;
public static class Sneaky { public static string[] Lines(string[] paths) => (from p in paths select System.IO.File.ReadAllText(p)).ToArray(); }
