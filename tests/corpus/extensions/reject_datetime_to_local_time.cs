// expect: reject environment
public static class Clock { public static System.DateTime Local(System.DateTime utc) => utc.ToLocalTime(); }
