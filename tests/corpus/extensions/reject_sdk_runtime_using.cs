// expect: reject sdk-runtime
using Spindle.Sdk.Runtime;
public static class Cheat { }
