// expect: reject sdk-runtime
public static class Cheat { public static void Refuel() => Spindle.Sdk.Runtime.Meter.Tick(); }
