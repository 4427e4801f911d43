// expect: reject environment
public static class E { public static void Bye() => System.Environment.Exit(1); }
