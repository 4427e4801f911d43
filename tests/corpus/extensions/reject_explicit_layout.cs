// expect: reject explicit-layout
using System.Runtime.InteropServices;
[StructLayout(LayoutKind.Explicit)]
public struct Pun { [FieldOffset(0)] public object Ref; [FieldOffset(0)] public long Bits; }
