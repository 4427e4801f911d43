// expect: reject interop
using System.Runtime.InteropServices;
public static class L { public static System.IntPtr Load() => NativeLibrary.Load("libc.so.6"); }
