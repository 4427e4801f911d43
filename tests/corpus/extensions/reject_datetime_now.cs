// expect: reject environment
public static class Clock { public static long Ticks() => System.DateTime.UtcNow.Ticks; }
