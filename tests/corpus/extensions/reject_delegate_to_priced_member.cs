// expect: reject cost
using System;
public static class Compare { public static Func<string, string, int> Ordinal() => string.CompareOrdinal; }
