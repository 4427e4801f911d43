// expect: reject unsafe
public unsafe struct Buf { public fixed byte Data[16]; }
