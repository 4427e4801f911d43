using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Loader;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Services;
using Spindle.Kernel.Trap;
using Spindle.Kernel.Translation;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;

namespace Spindle.Cli;

/// <summary>
/// <c>spindle run [--root DIR] [--trace-syscalls] [--stats] PROGRAM [ARGS...]</c>: runs one RISC-V
/// Linux program like qemu-riscv64. PROGRAM is a host path; the program sees the host environment,
/// standard streams and the file system under --root. The exit status is the program's, or 128+N
/// if signal N killed it; 126 if PROGRAM is not a loadable executable, 127 if it does not exist.
/// </summary>
internal static class RunCommand
{
    private const string Usage = "usage: spindle run [--root DIR] [--trace-syscalls] [--stats] PROGRAM [ARGS...]";

    /// <summary>Machine memory for one program.</summary>
    private const uint MemoryFrames = (256u << 20) / PhysicalMemory.PageSize;
    private const ulong StackSize = 8 << 20, StackGuard = 1 << 20;

    private sealed record Options(string Root, bool Trace, bool Stats, string Program, string[] Args);

    public static int Execute(string[] args)
    {
        if (!TryParse(args, out Options? o, out string? error))
        {
            Console.Error.WriteLine($"spindle run: {error}\n{Usage}");
            return 2;
        }
        if (!Directory.Exists(o!.Root))
        {
            Console.Error.WriteLine($"spindle run: --root {o.Root}: not a directory");
            return 2;
        }
        byte[] file;
        try { file = File.ReadAllBytes(o.Program); }
        catch (FileNotFoundException) { return Fail(o.Program, "No such file or directory", 127); }
        catch (DirectoryNotFoundException) { return Fail(o.Program, "No such file or directory", 127); }
        catch (UnauthorizedAccessException) { return Fail(o.Program, Directory.Exists(o.Program) ? "Is a directory" : "Permission denied", 126); }
        catch (IOException e) { return Fail(o.Program, e.Message, 126); }
        return Run(o, file);
    }

    private static int Run(Options o, byte[] file)
    {
        using var memory = new PhysicalMemory(MemoryFrames);
        using var space = new AddressSpace(new FrameAllocator(memory));
        ProgramImage image;
        ulong sp;
        try
        {
            image = ElfLoader.Load(file, space);
            sp = InitialStack.Build(space, image, [o.Program, .. o.Args], HostIdentity.InitialEnvironment(), o.Program,
                RandomNumberGenerator.GetBytes(16), StackSize);
        }
        catch (ElfException e) { return Fail(o.Program, e.Message, 126); }

        var hart = new Hart(memory) { PageTable = space.PageTable };

        var console = new HostConsole();
        using var fs = new HostFileSystem(o.Root);
        var personality = new LinuxPersonality(new LinuxServices(fs, console, new HostClock(), new HostEntropy()), o.Trace);
        var strand = new UserStrand(HostIdentity.Pid, hart, space);
        strand.Start(image.Entry, sp);
        ulong mapLimit = InitialStack.StackTop - StackSize - StackGuard;
        ulong mapBase = Math.Max(0x10_0000_0000UL, ((image.BrkStart + 0xfff) & ~0xfffUL) + (1UL << 30));
        strand.ProcessState = personality.CreateProcess(
            new ProcessIdentity(HostIdentity.Pid, HostIdentity.ParentPid, HostIdentity.Uid, HostIdentity.Gid),
            o.Program, GuestDirectory(o.Root, Environment.CurrentDirectory), image.BrkStart, mapBase, mapLimit);

        ulong before = hart.InstructionsRetired;
        var clock = Stopwatch.StartNew();
        TrapOutcome outcome = TrapLoop.Run(hart, strand, personality.Syscall, console.Flush);
        clock.Stop();
        console.Flush();

        if (outcome.KernelError != null)
            Console.Error.WriteLine($"spindle: {o.Program}: internal error, process aborted: {outcome.KernelError}");
        else if (outcome.Fault is { } trap)
            Console.Error.WriteLine($"spindle: {o.Program}: killed by {SignalName(outcome.Status)}: {trap}");
        if (o.Stats)
        {
            ulong n = hart.InstructionsRetired - before;
            double s = clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"spindle: {n} instructions, {s:F3} seconds, {(s > 0 ? n / s / 1e6 : 0):F1} MIPS"));
        }
        return outcome.ExitCode;
    }

    // Options come before PROGRAM; everything from PROGRAM on belongs to the program.
    private static bool TryParse(string[] args, out Options? options, out string? error)
    {
        options = null;
        error = null;
        string root = "/";
        bool trace = false, stats = false;
        int i = 0;
        for (; i < args.Length && args[i].StartsWith('-'); i++)
        {
            switch (args[i])
            {
                case "--root" when i + 1 < args.Length: root = args[++i]; break;
                case "--trace-syscalls": trace = true; break;
                case "--stats": stats = true; break;
                case "--": i++; goto done;
                default: error = args[i] == "--root" ? "--root needs a directory" : $"unknown option '{args[i]}'"; return false;
            }
        }
    done:
        if (i >= args.Length) { error = "no PROGRAM given"; return false; }
        options = new Options(Path.GetFullPath(root), trace, stats, args[i], args[(i + 1)..]);
        return true;
    }

    // The host working directory as the program sees it under root ("/" if it lies outside).
    private static string GuestDirectory(string root, string cwd)
    {
        root = Path.TrimEndingDirectorySeparator(root);
        if (root.Length == 0 || root == "/") return cwd;
        if (cwd == root) return "/";
        return cwd.StartsWith(root + "/", StringComparison.Ordinal) ? cwd[root.Length..] : "/";
    }

    private static string SignalName(int signal) => signal switch
    {
        TrapLoop.SIGILL => "SIGILL",
        TrapLoop.SIGTRAP => "SIGTRAP",
        TrapLoop.SIGABRT => "SIGABRT",
        TrapLoop.SIGBUS => "SIGBUS",
        TrapLoop.SIGSEGV => "SIGSEGV",
        _ => $"signal {signal}",
    };

    private static int Fail(string program, string message, int status)
    {
        Console.Error.WriteLine($"spindle: {program}: {message}");
        return status;
    }
}
