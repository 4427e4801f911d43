using System.Diagnostics;

namespace Spindle.Cli;

/// <summary>
/// <c>spindle boot [--root-folder DIR] [--trace-syscalls]</c>: boots the emulated machine with DIR as its
/// root file system and runs its /sbin/init on this console until init exits; the exit status is init's.
/// Without --root-folder, the userland (user/ in the source tree) is cross-compiled by user/build.sh into
/// .spindle-cache/bootroot (only stale programs are rebuilt) and that folder is the root.
/// </summary>
internal static class BootCommand
{
    private const string Usage = "usage: spindle boot [--root-folder DIR] [--trace-syscalls]";

    public static int Execute(string[] args)
    {
        string? folder = null;
        bool trace = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--root-folder" when i + 1 < args.Length: folder = args[++i]; break;
                case "--trace-syscalls": trace = true; break;
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
        return Boot(folder, init, trace);
    }

    // Runs init as the first process with folder as the root of its file system.
    private static int Boot(string folder, string init, bool trace) =>
        RunCommand.Execute(trace ? ["--root", folder, "--trace-syscalls", init] : ["--root", folder, init]);

    // Finds user/build.sh above the CLI's own directory and runs it into .spindle-cache/bootroot beside it.
    // Returns false after printing why when there is no source tree or the build fails.
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
        string outDir = Path.Combine(repo, ".spindle-cache", "bootroot");
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(repo, "user", "build.sh"));
        psi.ArgumentList.Add(outDir);
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
