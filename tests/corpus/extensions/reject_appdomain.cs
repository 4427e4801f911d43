// expect: reject environment
public static class E { public static object Dom() => System.AppDomain.CurrentDomain; }
