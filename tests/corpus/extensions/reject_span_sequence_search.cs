// expect: reject cost
using System;
public static class Find { public static int Needle(ReadOnlySpan<int> hay, ReadOnlySpan<int> needle) => hay.IndexOf(needle); }
