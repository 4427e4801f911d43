using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Boot;

/// <summary>
/// Builds the userland with user/build.sh into a folder laid out as the boot root (bin/, sbin/, etc/, tmp/):
/// for the emulated machine with the cross compiler, or for this host with gcc (to check the shell's
/// behaviour natively, where qemu-user cannot follow its execve calls). build.sh rebuilds only stale programs.
/// </summary>
public static class BootRoot
{
    private static readonly object Lock = new();

    /// <summary>The RISC-V boot root under .spindle-cache; built (or refreshed) on first use.</summary>
    public static string Riscv => Build("bootroot", CrossCompiler.Gcc, "gcc-riscv64-linux-gnu and libc6-dev-riscv64-cross");

    /// <summary>The same userland compiled for the host.</summary>
    public static string Host => Build("bootroot-host", "gcc", "gcc");

    /// <summary>The busybox root (build.sh OUT BUSYBOX): busybox and its applet links, /etc, our init and extload.</summary>
    public static string WithBusybox => Build("bootroot-busybox", CrossCompiler.Gcc, "gcc-riscv64-linux-gnu and libc6-dev-riscv64-cross",
        global::Spindle.System.Tests.Busybox.BusyboxUserland.Binary);

    // Runs build.sh into .spindle-cache/name with CC=cc (and busybox when given); throws with build.sh's output if it fails.
    private static string Build(string name, string cc, string package, string? busybox = null)
    {
        string compiler = Tools.Require(cc, package);
        string outDir = Path.Combine(Repo.Cache, name);
        lock (Lock)
        {
            var r = ProcessRunner.Run(Tools.Require("sh", "a POSIX shell"), 
                [Path.Combine(Repo.Root, "user", "build.sh"), outDir, .. busybox == null ? Array.Empty<string>() : [busybox]], [],
                [new("PATH", Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"), new("CC", compiler)], TimeSpan.FromMinutes(5));
            if (r.ExitCode != 0 || r.TimedOut)
                throw new InvalidOperationException($"user/build.sh {outDir} failed (exit {r.ExitCode}):\n{r.Stderr}");
        }
        return outDir;
    }
}
