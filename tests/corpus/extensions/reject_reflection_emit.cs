// expect: reject emit
using System.Reflection.Emit;
public static class E { public static object Make() => new DynamicMethod("x", typeof(int), null); }
