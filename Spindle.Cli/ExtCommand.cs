using Spindle.Kernel.Compiler;

namespace Spindle.Cli;

/// <summary>`spindle ext build|verify`: the trusted extension compiler and checker (see <see cref="ExtTool"/>).</summary>
internal static class ExtCommand
{
    /// <summary>Runs with the Spindle home from $SPINDLE_HOME or ~/.spindle.</summary>
    public static int Execute(string[] args) => ExtTool.Run(args, Console.Out, Console.Error, SpindleHome.Default);
}
