namespace Spindle.System.Tests.Support;

/// <summary>Something that runs a RISC-V Linux program: the reference (qemu) or Spindle.</summary>
public interface IProgramRunner
{
    /// <summary>A short name for messages ("qemu", "spindle").</summary>
    string Name { get; }

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="args"/> (argv[1..]), the given stdin, and
    /// <see cref="ProcessRunner.FixedEnvironment"/>; the program's argv[0] is its path.
    /// </summary>
    RunResult Run(string program, IReadOnlyList<string> args, byte[]? stdin = null, TimeSpan? timeout = null);
}
