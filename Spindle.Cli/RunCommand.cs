namespace Spindle.Cli;

// SKELETON: the personality helper replaces this.
internal static class RunCommand
{
    public static int Execute(string[] args) => throw new NotImplementedException();
}
