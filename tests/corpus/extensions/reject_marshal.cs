// expect: reject interop
public static class M { public static System.IntPtr Alloc() => System.Runtime.InteropServices.Marshal.AllocHGlobal(16); }
