namespace Spindle.System.Tests.Support;

/// <summary>Runs programs under qemu-riscv64 user mode, the oracle for differential tests.</summary>
public sealed class QemuRunner : IProgramRunner
{
    /// <summary>The one shared instance.</summary>
    public static readonly QemuRunner Instance = new();

    /// <inheritdoc/>
    public string Name => "qemu";

    /// <inheritdoc/>
    public RunResult Run(string program, IReadOnlyList<string> args, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        string qemu = Tools.Require("qemu-riscv64", "qemu-user");
        return ProcessRunner.Run(qemu, [program, .. args], stdin ?? [], ProcessRunner.FixedEnvironment,
            timeout ?? TimeSpan.FromSeconds(30));
    }
}
