// expect: reject shared-state
public static class Names { public static string Share(string s) => string.Intern(s); }
