// expect: reject shared-state
public static class Names { public static bool Seen(string s) => string.IsInterned(s) is not null; }
