// expect: reject pinvoke
using System.Runtime.InteropServices;
public static class Native { [DllImport("libc")] public static extern int getpid(); }
