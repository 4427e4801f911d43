// expect: reject pinvoke
public static class Native { public static extern int Magic(); }
