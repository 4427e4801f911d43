// expect: accept
public static class Names
{
    public static string Which => nameof(System.Environment) + nameof(System.GC.Collect);
}
