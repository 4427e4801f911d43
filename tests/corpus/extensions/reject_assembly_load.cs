// expect: reject reflection
public static class A { public static object Load(byte[] b) => System.Reflection.Assembly.Load(b); }
