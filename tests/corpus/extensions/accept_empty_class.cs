// expect: accept
public static class Nothing { }
