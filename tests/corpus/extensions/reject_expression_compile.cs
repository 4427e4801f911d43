// expect: reject emit
using System;
using System.Linq.Expressions;
public static class C { public static Func<int, int> Make() { Expression<Func<int, int>> e = x => x + 1; return e.Compile(); } }
