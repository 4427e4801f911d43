// expect: reject environment
public static class E { public static string Base() => System.AppContext.BaseDirectory; }
