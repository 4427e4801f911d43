// expect: reject recursion
using System;
public static class Pairs { public static object Nest(object inner) => Tuple.Create(inner, 1); }
