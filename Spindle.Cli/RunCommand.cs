using System.Globalization;
using System.Net.Sockets;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Gdb;
using Spindle.Kernel.Services;
using Spindle.Kernel.Trap;
using Spindle.Machine.Cpu;

namespace Spindle.Cli;

/// <summary>
/// <c>spindle run [--root DIR] [-L PREFIX] [--engine interp|jit] [--disk FILE[,ro]]... [--mount DISK:PATH[:TYPE]]... [--net tap:NAME ...] [--trace-syscalls] [--stats] [-g PORT] PROGRAM [ARGS...]</c>: runs one RISC-V
/// Linux program like qemu-riscv64. PROGRAM is a host path; the program sees the host environment,
/// standard streams and the file system under --root; a dynamically linked one gets its interpreter (PT_INTERP) loaded
/// beside it, found under -L PREFIX or $SPINDLE_LD_PREFIX first (<see cref="LibraryPrefix"/>). The engine is the compiling
/// one (<c>jit</c>) unless <c>--engine interp</c> asks for the interpreter. The exit status is the program's as the personality
/// reports it (Linux: 128+N if signal N killed it); 126 if PROGRAM is not a loadable executable, 127 if it does not exist.
/// </summary>
internal static class RunCommand
{
    private const string Usage = "usage: spindle run [--root DIR] [-L PREFIX] [--ext PATH]... [--engine interp|jit] [--disk FILE[,ro]]... [--mount DISK:PATH[:TYPE]]... [--trace-syscalls] [--stats] [-g PORT] " + NetOptions.Usage + " " + DisplayOptions.Usage + " PROGRAM [ARGS...]";

    /// <summary>Machine memory for one program (and its children).</summary>
    private const ulong MemoryBytes = 256UL << 20;

    internal sealed record Options(string Root, bool Trace, bool Stats, string Program, string[] Args, List<string> Extensions,
        ExecutionEngineKind? Engine = null)
    {
        /// <summary>The disks and mounts of <c>--disk</c> and <c>--mount</c>.</summary>
        public DiskOptions Storage { get; init; } = new();

        /// <summary>The network options (none given: no card).</summary>
        public NetOptions Net { get; init; } = new();

        /// <summary>The frame-buffer options.</summary>
        public DisplayOptions Display { get; init; } = new();

        /// <summary><c>-g PORT</c>: the gdb stub's port on 127.0.0.1 (null: no stub).</summary>
        public int? GdbPort { get; init; }

        /// <summary>The library prefix (<c>-L</c>, else <see cref="Cli.LibraryPrefix.Variable"/>): a full host path inside
        /// <see cref="Root"/>, or null.</summary>
        public string? LibraryPrefix { get; init; }
    }

    public static int Execute(string[] args)
    {
        if (args.TakeWhile(a => a.StartsWith('-')).Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
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
        if (o.LibraryPrefix is { } prefix && !Directory.Exists(prefix))
        {
            Console.Error.WriteLine($"spindle run: library prefix {prefix}: not a directory");
            return 2;
        }
        if (o.LibraryPrefix != null && GuestPath(o.Root, o.LibraryPrefix) == null)
        {
            Console.Error.WriteLine($"spindle run: library prefix {o.LibraryPrefix} is outside --root {o.Root}: the programs could not see it");
            return 2;
        }
        if (!LibraryPrefix.TryReadInterpreter(file, o.Root, o.LibraryPrefix, out byte[]? interpreter, out string? interpreterError, out int status))
            return Fail(o.Program, interpreterError!, status);
        return Run(o, file, interpreter);
    }

    private static int Run(Options o, byte[] file, byte[]? interpreter)
    {
        var network = o.Net.Build(out string? netError);
        if (netError != null) { Console.Error.WriteLine($"spindle run: {netError}"); return 2; }
        RunningSystem system;
        try { system = SystemBuilder.Build(Describe(o, file, interpreter) with { Network = network, Framebuffer = o.Display.Size }); }
        catch (BootException e) { return Fail(e.Subject, e.Reason, e.BadProgram ? 126 : 1); }
        using var _ = system;
        var (kernel, strand, process) = (system.Kernel, system.FirstStrand, system.FirstProcess);
        GdbStub? gdb = null;
        if (o.GdbPort is int port)
        {
            try { gdb = GdbStub.Attach(system, port); }
            catch (SocketException e) { return Fail($"-g {port}", e.Message, 125); }
            Console.Error.WriteLine($"spindle: waiting for gdb on 127.0.0.1:{gdb.Port}");
        }
        using var __ = gdb;

        ulong before = kernel.Hart.InstructionsRetired;
        system.Run();
        o.Display.Save(system, "run");

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

    /// <summary>The system <c>spindle run</c> builds for <paramref name="o"/>, the program's bytes <paramref name="file"/> and
    /// those of the <paramref name="interpreter"/> it names (null for a static program).</summary>
    internal static SystemDescription Describe(Options o, byte[] file, byte[]? interpreter = null) => new()
    {
        MemoryBytes = MemoryBytes,
        Personality = "Linux",
        RootFolder = o.Root,
        Extensions = o.Extensions,
        Disks = o.Storage.Disks,
        Mounts = o.Storage.Mounts,
        TraceSyscalls = o.Trace,
        Engine = o.Engine,
        LibraryPrefix = o.LibraryPrefix is { } prefix ? GuestPath(o.Root, prefix) : null,
        Program = new FirstProgram(new ProgramImage.Elf(file) { Interpreter = interpreter }, o.Program, [o.Program, .. o.Args], HostIdentity.InitialEnvironment())
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
        string? prefix = Environment.GetEnvironmentVariable(LibraryPrefix.Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        bool trace = false, stats = false;
        ExecutionEngineKind engine = ExecutionEngines.Jit;     // the faster of the two, and as exact (docs/CPU.md)
        var extensions = new List<string>();
        var storage = new DiskOptions();
        var net = new NetOptions();
        var display = new DisplayOptions();
        int? gdbPort = null;
        int i = 0;
        for (; i < args.Length && args[i].StartsWith('-'); i++)
        {
            if (net.TryTake(args, ref i, out error) || display.TryTake(args, ref i, out error))
            {
                if (error != null) return false;
                continue;
            }
            switch (args[i])
            {
                case "--root" when i + 1 < args.Length: root = args[++i]; break;
                case "-L" when i + 1 < args.Length: prefix = args[++i]; break;
                case "--ext" when i + 1 < args.Length: extensions.Add(args[++i]); break;
                case "--trace-syscalls": trace = true; break;
                case "--stats": stats = true; break;
                case "-g" or "--gdb" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535) { error = $"-g {args[i]}: not a port"; return false; }
                    gdbPort = port;
                    break;
                case "--engine" when i + 1 < args.Length:
                    ExecutionEngineKind? named = ExecutionEngines.Find(args[++i] == "interp" ? ExecutionEngines.Interpreter.Name : args[i]);
                    if (named == null) { error = $"no engine '{args[i]}' (interp, {string.Join(", ", ExecutionEngines.All.Skip(1))})"; return false; }
                    engine = named;
                    break;
                case "--": i++; goto done;
                case "--disk" or "--mount":
                    if (storage.TryParse(args, ref i, out error)) break;
                    return false;
                default: error = args[i] is "--root" or "--ext" or "--engine" or "-L" or "-g" or "--gdb" ? $"{args[i]} needs a {(args[i] == "--engine" ? "name" : args[i] is "-g" or "--gdb" ? "port" : "path")}" : $"unknown option '{args[i]}'"; return false;
            }
        }
    done:
        if (i >= args.Length) { error = "no PROGRAM given"; return false; }
        options = new Options(Path.GetFullPath(root), trace, stats, args[i], args[(i + 1)..], extensions, engine)
        {
            Storage = storage, Net = net, Display = display, GdbPort = gdbPort,
            LibraryPrefix = prefix == null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(prefix)),
        };
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
