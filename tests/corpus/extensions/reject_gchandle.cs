// expect: reject interop
using System.Runtime.InteropServices;
public static class Pin { public static GCHandle Hold(object o) => GCHandle.Alloc(o, GCHandleType.Pinned); }
