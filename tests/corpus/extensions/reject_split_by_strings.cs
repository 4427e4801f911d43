// expect: reject cost
public static class Words { public static string[] Split(string s, string[] separators) => s.Split(separators, System.StringSplitOptions.None); }
