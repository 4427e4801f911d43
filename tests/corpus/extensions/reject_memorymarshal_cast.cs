// expect: reject unsafe-api
using System;
using System.Runtime.InteropServices;
public static class Reinterpret { public static Span<long> AsLongs(Span<byte> b) => MemoryMarshal.Cast<byte, long>(b); }
