// expect: reject sdk-runtime
public static class Sneaky { public static string N => nameof(Spindle.Sdk.Runtime.Meter); }
