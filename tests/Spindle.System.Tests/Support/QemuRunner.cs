namespace Spindle.System.Tests.Support;

/// <summary>Runs programs under qemu-riscv64 user mode, the oracle for differential tests.</summary>
public sealed class QemuRunner(IReadOnlyList<string> options) : IProgramRunner
{
    /// <summary>Plain qemu-riscv64, for static programs.</summary>
    public static readonly QemuRunner Instance = new([]);

    /// <summary><c>qemu-riscv64 -L /usr/riscv64-linux-gnu</c>: dynamically linked programs find the cross libc's
    /// dynamic loader and libraries there.</summary>
    public static readonly QemuRunner DynamicallyLinked = new(["-L", CrossCompiler.LibraryPrefix]);

    /// <inheritdoc/>
    public string Name => "qemu";

    /// <inheritdoc/>
    public RunResult Run(string program, IReadOnlyList<string> args, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        string qemu = Tools.Require("qemu-riscv64", "qemu-user");
        return ProcessRunner.Run(qemu, [.. options, program, .. args], stdin ?? [], ProcessRunner.FixedEnvironment,
            timeout ?? TimeSpan.FromSeconds(30));
    }
}
