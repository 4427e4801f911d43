// expect: reject reflection
public static class R { public static System.Type? Find() => System.Type.GetType("System.IO.File"); }
