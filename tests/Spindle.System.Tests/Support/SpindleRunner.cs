namespace Spindle.System.Tests.Support;

/// <summary>
/// Runs programs under Spindle through its real command line: <c>dotnet spindle.dll run [options] PROGRAM
/// ARGS...</c>, using the spindle.dll the test project copies into its own output directory.
/// </summary>
public sealed class SpindleRunner(IReadOnlyList<string> options) : IProgramRunner
{
    /// <summary>Plain <c>spindle run</c> without options.</summary>
    public static readonly SpindleRunner Instance = new([]);

    /// <summary><c>spindle run --engine jit-forced</c>: the compiling engine compiling all code from the first
    /// instruction (the second pass of the differential tests).</summary>
    public static readonly SpindleRunner ForcedCompiler = new(["--engine", "jit-forced"]);

    /// <summary><c>spindle run -L /usr/riscv64-linux-gnu</c>: dynamically linked programs find the cross libc's dynamic
    /// loader and libraries there, as under <see cref="QemuRunner.DynamicallyLinked"/>.</summary>
    public static readonly SpindleRunner DynamicallyLinked = new(["-L", CrossCompiler.LibraryPrefix]);

    /// <summary><c>spindle run --engine interp</c>: the interpreter only (the first pass of the differential tests;
    /// plain <c>spindle run</c> runs the compiling engine).</summary>
    public static readonly SpindleRunner InterpreterOnly = new(["--engine", "interp"]);

    /// <summary>Both passes of a differential test: the interpreter only, then the compiler forced.</summary>
    public static readonly IReadOnlyList<SpindleRunner> BothPasses = [InterpreterOnly, ForcedCompiler];

    /// <inheritdoc/>
    public string Name => "spindle";

    /// <summary>The CLI assembly beside the test assembly.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "spindle.dll");

    /// <inheritdoc/>
    public RunResult Run(string program, IReadOnlyList<string> args, byte[]? stdin = null, TimeSpan? timeout = null) =>
        RunCli(["run", .. options, program, .. args], stdin, timeout);

    /// <summary>
    /// Runs the spindle CLI with raw <paramref name="cliArgs"/> (e.g. a subcommand and its arguments) in the
    /// fixed environment.
    /// </summary>
    public static RunResult RunCli(IReadOnlyList<string> cliArgs, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        if (!File.Exists(Dll)) throw new InvalidOperationException($"spindle CLI not built: {Dll} is missing");
        return ProcessRunner.Run(DotnetHost(), [Dll, .. cliArgs], stdin ?? [], ProcessRunner.FixedEnvironment,
            timeout ?? TimeSpan.FromSeconds(60));
    }

    // The dotnet host that runs these tests (DOTNET_HOST_PATH is set by `dotnet test`), else `dotnet` on PATH.
    internal static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return host != null && File.Exists(host) ? host : Tools.Require("dotnet", "the .NET SDK");
    }
}
