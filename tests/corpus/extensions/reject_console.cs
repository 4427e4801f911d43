// expect: reject console
public static class C { public static void Hello() => System.Console.WriteLine("hello from the kernel"); }
