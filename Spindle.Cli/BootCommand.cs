using System.Diagnostics;
using Spindle.Kernel.Boot;

namespace Spindle.Cli;

/// <summary>
/// <c>spindle boot [--root-folder DIR] [--trace-syscalls] [--net tap:NAME ...]</c> (<see cref="NetOptions"/>): boots the emulated machine. The root file
/// system is in memory, a copy of DIR made at boot (writes never reach DIR), with /dev mounted on it; the
/// kernel loads the Linux personality as a checked extension (extensions/Linux, compiled once and cached)
/// and installs the extension system calls, starts /sbin/init as pid 1 on
/// this console and runs until init exits. The exit status is init's (128+N if signal N killed it).
/// Without --root-folder, the userland (user/ in the source tree) is cross-compiled by user/build.sh into
/// .spindle-cache/bootroot (only stale programs are rebuilt) and that folder is the root; when
/// scripts/userland.sh has built busybox (out/userland/busybox), the root is busybox's instead, in
/// .spindle-cache/bootroot-busybox (docs/USERLAND.md).
/// </summary>
internal static class BootCommand
{
    private const string Usage = "usage: spindle boot [--root-folder DIR] [--disk FILE[,ro]]... [--mount DISK:PATH[:TYPE]]... [--trace-syscalls] " + NetOptions.Usage + " " + DisplayOptions.Usage;
    private const string Init = "/sbin/init";

    /// <summary>Machine memory for the whole system.</summary>
    private const ulong MemoryBytes = 512UL << 20;

    public static int Execute(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        string? folder = null;
        bool trace = false;
        var storage = new DiskOptions();
        var net = new NetOptions();
        var display = new DisplayOptions();
        for (int i = 0; i < args.Length; i++)
        {
            if (net.TryTake(args, ref i, out string? netError) || display.TryTake(args, ref i, out netError))
            {
                if (netError == null) continue;
                Console.Error.WriteLine($"spindle boot: {netError}\n{Usage}");
                return 2;
            }
            switch (args[i])
            {
                case "--root-folder" when i + 1 < args.Length: folder = args[++i]; break;
                case "--trace-syscalls": trace = true; break;
                case "--disk" or "--mount":
                    if (storage.TryParse(args, ref i, out string? error)) break;
                    Console.Error.WriteLine($"spindle boot: {error}\n{Usage}");
                    return 2;
                default:
                    Console.Error.WriteLine($"spindle boot: {(args[i] == "--root-folder" ? "--root-folder needs a directory" : $"unknown argument '{args[i]}'")}\n{Usage}");
                    return 2;
            }
        }
        if (folder == null && !TryBuildUserland(out folder)) return 1;
        folder = Path.GetFullPath(folder!);
        if (!Directory.Exists(folder))
        {
            Console.Error.WriteLine($"spindle boot: --root-folder {folder}: not a directory");
            return 2;
        }
        string init = Path.Combine(folder, "sbin", "init");
        if (!File.Exists(init))
        {
            Console.Error.WriteLine($"spindle boot: {folder} has no sbin/init (build one with user/build.sh DIR)");
            return 2;
        }
        byte[] elf;
        try { elf = File.ReadAllBytes(init); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail($"{init}: {e.Message}"); }
        var network = net.Build(out string? networkError);
        if (networkError != null) return Fail(networkError);
        return Boot(Describe(folder, elf, trace, storage) with { Network = network, Framebuffer = display.Size }, display);
    }

    // Boots the system described (init as pid 1) and runs it until init exits. Returns init's exit status, or 1
    // after printing why the boot failed.
    private static int Boot(SystemDescription description, DisplayOptions display)
    {
        RunningSystem system;
        try { system = SystemBuilder.Build(description); }
        catch (BootException e) { return Fail(e.Message); }
        using var _ = system;
        int status = system.Run();
        display.Save(system, "boot");
        if (system.FirstStrand.KernelError != null) Console.Error.WriteLine($"spindle boot: {Init}: internal error: {system.FirstStrand.KernelError}");
        if (!system.HasExited) return Fail($"{Init} is blocked forever (no runnable strand left)");
        return status;
    }

    /// <summary>The system <c>spindle boot</c> builds: an in-memory copy of <paramref name="folder"/> as the root, <paramref name="init"/> (its ELF bytes) as pid 1.</summary>
    internal static SystemDescription Describe(string folder, byte[] init, bool trace, DiskOptions? storage = null) => new()
    {
        Disks = storage?.Disks ?? [],
        Mounts = storage?.Mounts ?? [],
        MemoryBytes = MemoryBytes,
        Personality = "Linux",
        RootFolder = folder,
        RootInMemory = true,
        TraceSyscalls = trace,
        Program = new FirstProgram(new ProgramImage.Elf(init), Init, [Init], []) { Pid = 1, ParentPid = 0 },
    };

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"spindle boot: {message}");
        return 1;
    }

    // Finds user/build.sh above the CLI's own directory and runs it into .spindle-cache/bootroot beside it, or
    // with busybox into .spindle-cache/bootroot-busybox when out/userland has it. Returns false after printing
    // why when there is no source tree or the build fails.
    private static bool TryBuildUserland(out string? folder)
    {
        folder = null;
        string? repo = null;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null && repo == null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "user", "build.sh"))) repo = d.FullName;
        if (repo == null)
        {
            Console.Error.WriteLine($"spindle boot: no user/build.sh above {AppContext.BaseDirectory}; give --root-folder DIR");
            return false;
        }
        string busybox = Path.Combine(repo, "out", "userland", "busybox", "busybox");
        bool withBusybox = File.Exists(busybox);
        string outDir = Path.Combine(repo, ".spindle-cache", withBusybox ? "bootroot-busybox" : "bootroot");
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(repo, "user", "build.sh"));
        psi.ArgumentList.Add(outDir);
        if (withBusybox) psi.ArgumentList.Add(busybox);
        try
        {
            using var p = Process.Start(psi)!;
            p.StandardOutput.BaseStream.CopyTo(Console.OpenStandardError()); // keep our stdout the machine's
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.Error.WriteLine($"spindle boot: user/build.sh failed (exit {p.ExitCode})");
                return false;
            }
        }
        catch (global::System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"spindle boot: cannot run user/build.sh: {e.Message}");
            return false;
        }
        folder = outDir;
        return true;
    }
}
