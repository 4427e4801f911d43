using System.Globalization;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Services;
using Spindle.Kernel.Trap;
using Spindle.Machine.Cpu;

namespace Spindle.Cli;

/// <summary>
/// <c>spindle run [--root DIR] [--engine interp|jit] [--disk FILE[,ro]]... [--mount DISK:PATH[:TYPE]]... [--net tap:NAME ...] [--trace-syscalls] [--stats] PROGRAM [ARGS...]</c>: runs one RISC-V
/// Linux program like qemu-riscv64. PROGRAM is a host path; the program sees the host environment,
/// standard streams and the file system under --root. The engine is the compiling one (<c>jit</c>) unless
/// <c>--engine interp</c> asks for the interpreter. The exit status is the program's as the personality
/// reports it (Linux: 128+N if signal N killed it); 126 if PROGRAM is not a loadable executable, 127 if it does not exist.
/// </summary>
internal static class RunCommand
{
    private const string Usage = "usage: spindle run [--root DIR] [--ext PATH]... [--engine interp|jit] [--disk FILE[,ro]]... [--mount DISK:PATH[:TYPE]]... [--trace-syscalls] [--stats] " + NetOptions.Usage + " PROGRAM [ARGS...]";

    /// <summary>Machine memory for one program (and its children).</summary>
    private const ulong MemoryBytes = 256UL << 20;

    internal sealed record Options(string Root, bool Trace, bool Stats, string Program, string[] Args, List<string> Extensions,
        ExecutionEngineKind? Engine = null)
    {
        /// <summary>The disks and mounts of <c>--disk</c> and <c>--mount</c>.</summary>
        public DiskOptions Storage { get; init; } = new();

        /// <summary>The network options (none given: no card).</summary>
        public NetOptions Net { get; init; } = new();
    }

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
        var network = o.Net.Build(out string? netError);
        if (netError != null) { Console.Error.WriteLine($"spindle run: {netError}"); return 2; }
        RunningSystem system;
        try { system = SystemBuilder.Build(Describe(o, file) with { Network = network }); }
        catch (BootException e) { return Fail(e.Subject, e.Reason, e.BadProgram ? 126 : 1); }
        using var _ = system;
        var (kernel, strand, process) = (system.Kernel, system.FirstStrand, system.FirstProcess);

        ulong before = kernel.Hart.InstructionsRetired;
        system.Run();

        if (strand.KernelError != null)
            Console.Error.WriteLine($"spindle: {o.Program}: internal error, process aborted: {strand.KernelError}");
        else if (strand.LastFault is { } trap && process.Termination is { } how)
            Console.Error.WriteLine($"spindle: {o.Program}: {how}: {trap}");
        if (o.Stats)
        {
            ulong n = kernel.Hart.InstructionsRetired - before;
            double s = system.Elapsed.TotalSeconds;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"spindle: {n} instructions, {s:F3} seconds, {(s > 0 ? n / s / 1e6 : 0):F1} MIPS"));
            EngineStatistics e = kernel.Hart.Engine.Statistics;
            if (kernel.Hart.Engine.Name != ExecutionEngines.Interpreter.Name)      // the interpreter compiles nothing
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"spindle: engine {kernel.Hart.Engine.Name}: {e.CompiledRegions} regions compiled in {e.CompileTime.TotalSeconds:F3} seconds, {e.CompiledInstructions} instructions in compiled code, {e.Entries} entries from the interpreter, {e.RegionRuns} region runs"));
        }
        return system.ExitStatus;
    }

    /// <summary>The system <c>spindle run</c> builds for <paramref name="o"/> and the program's bytes <paramref name="file"/>.</summary>
    internal static SystemDescription Describe(Options o, byte[] file) => new()
    {
        MemoryBytes = MemoryBytes,
        Personality = "Linux",
        RootFolder = o.Root,
        Extensions = o.Extensions,
        Disks = o.Storage.Disks,
        Mounts = o.Storage.Mounts,
        TraceSyscalls = o.Trace,
        Engine = o.Engine,
        Program = new FirstProgram(new ProgramImage.Elf(file), o.Program, [o.Program, .. o.Args], HostIdentity.InitialEnvironment())
        {
            Pid = HostIdentity.Pid, ParentPid = HostIdentity.ParentPid, Uid = HostIdentity.Uid, Gid = HostIdentity.Gid,
            Executable = GuestPath(o.Root, Path.GetFullPath(o.Program)) ?? Path.GetFullPath(o.Program),
            WorkingDirectory = GuestPath(o.Root, Environment.CurrentDirectory) ?? "/",
        },
    };

    // Options come before PROGRAM; everything from PROGRAM on belongs to the program.
    private static bool TryParse(string[] args, out Options? options, out string? error)
    {
        options = null;
        error = null;
        string root = "/";
        bool trace = false, stats = false;
        ExecutionEngineKind engine = ExecutionEngines.Jit;     // the faster of the two, and as exact (docs/CPU.md)
        var extensions = new List<string>();
        var storage = new DiskOptions();
        var net = new NetOptions();
        int i = 0;
        for (; i < args.Length && args[i].StartsWith('-'); i++)
        {
            if (net.TryTake(args, ref i, out error))
            {
                if (error != null) return false;
                continue;
            }
            switch (args[i])
            {
                case "--root" when i + 1 < args.Length: root = args[++i]; break;
                case "--ext" when i + 1 < args.Length: extensions.Add(args[++i]); break;
                case "--trace-syscalls": trace = true; break;
                case "--stats": stats = true; break;
                case "--engine" when i + 1 < args.Length:
                    ExecutionEngineKind? named = ExecutionEngines.Find(args[++i] == "interp" ? ExecutionEngines.Interpreter.Name : args[i]);
                    if (named == null) { error = $"no engine '{args[i]}' (interp, {string.Join(", ", ExecutionEngines.All.Skip(1))})"; return false; }
                    engine = named;
                    break;
                case "--": i++; goto done;
                case "--disk" or "--mount":
                    if (storage.TryParse(args, ref i, out error)) break;
                    return false;
                default: error = args[i] is "--root" or "--ext" or "--engine" ? $"{args[i]} needs a {(args[i] == "--engine" ? "name" : "path")}" : $"unknown option '{args[i]}'"; return false;
            }
        }
    done:
        if (i >= args.Length) { error = "no PROGRAM given"; return false; }
        options = new Options(Path.GetFullPath(root), trace, stats, args[i], args[(i + 1)..], extensions, engine) { Storage = storage, Net = net };
        return true;
    }

    // A host path as the program sees it under root; null if it lies outside root.
    private static string? GuestPath(string root, string hostPath)
    {
        root = Path.TrimEndingDirectorySeparator(root);
        if (root.Length == 0 || root == "/") return hostPath;
        if (hostPath == root) return "/";
        return hostPath.StartsWith(root + "/", StringComparison.Ordinal) ? hostPath[root.Length..] : null;
    }

    private static int Fail(string program, string message, int status)
    {
        Console.Error.WriteLine($"spindle: {program}: {message}");
        return status;
    }
}
