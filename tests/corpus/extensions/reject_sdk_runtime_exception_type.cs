// expect: reject sdk-runtime
public static class Cheat
{
    public static int Swallow(System.Func<int> f)
    {
        try { return f(); } catch (Spindle.Sdk.Runtime.MeterExhaustedException) { return 0; }
    }
}
