using Spindle.Machine.Devices;
using Spindle.Sdk.Io;
using Spindle.Sdk.Time;

namespace Spindle.Kernel.Boot;

/// <summary>
/// Everything <see cref="SystemBuilder"/> needs to build a system: the machine, its devices and their
/// backends, the root file system, the personality and extensions to load, and the first program.
/// Only <see cref="Personality"/> and <see cref="Program"/> have no default.
/// </summary>
public sealed record SystemDescription
{
    /// <summary>Physical memory of the machine.</summary>
    public ulong MemoryBytes { get; init; } = 256UL << 20;

    /// <summary>Instructions a user strand runs before it is preempted.</summary>
    public long Slice { get; init; } = Strand.Scheduler.DefaultSlice;

    /// <summary>The CPU's execution engine (the default engine if null).</summary>
    public Machine.Cpu.ExecutionEngineKind? Engine { get; init; }

    /// <summary>The machine's clock and timer device (the host's if null).</summary>
    public MachineClock? MachineClock { get; init; }

    /// <summary>
    /// The personality to load and link, as a standard extension's name (extensions/NAME, found by
    /// <see cref="Extensions.ExtensionSources.Find"/>) or a path (a source folder, .cs file or signed .dll).
    /// The kernel runs programs only through a personality, so this is required.
    /// </summary>
    public string? Personality { get; init; }

    /// <summary>Where the kernel key and the compile cache live.</summary>
    public string SpindleHome { get; init; } = Compiler.SpindleHome.Default;

    /// <summary>The host folder the root file system is made from.</summary>
    public string RootFolder { get; init; } = "/";

    /// <summary>True: the root is an in-memory copy of <see cref="RootFolder"/> made at boot; false: the folder itself.</summary>
    public bool RootInMemory { get; init; }

    /// <summary>
    /// The console the first process's standard streams are (the host's streams if null). If it is also an
    /// <see cref="IDevice"/> (as <see cref="Services.HostConsole"/> is) it is attached to the interrupt lines.
    /// </summary>
    public IConsole? Console { get; init; }

    /// <summary>Further devices to attach to the interrupt lines, in order, after the console.</summary>
    public IReadOnlyList<IDevice> Devices { get; init; } = [];

    /// <summary>Disks backed by host image files: the machine's vda, vdb, ... in this order.</summary>
    public IReadOnlyList<DiskImage> Disks { get; init; } = [];

    /// <summary>File systems on those disks to mount before the first program runs, in order.</summary>
    public IReadOnlyList<DiskMount> Mounts { get; init; } = [];

    /// <summary>The network card and the protocol stack on it, or null for none.</summary>
    public NetworkDescription? Network { get; init; }

    /// <summary>A frame buffer of this many pixels (exported to extensions as IFramebuffer); null: none.</summary>
    public FramebufferSize? Framebuffer { get; init; }

    /// <summary>The clocks the personality reads (the host's if null).</summary>
    public IClock? Clock { get; init; }

    /// <summary>The entropy source (the host's if null).</summary>
    public IEntropySource? Entropy { get; init; }

    /// <summary>Install the calls programs load extensions with (spindle_ext_load, as under <c>spindle run --ext</c>).</summary>
    public bool ExtensionCalls { get; init; } = true;

    /// <summary>Extensions to load before the first program runs (needs <see cref="ExtensionCalls"/>).</summary>
    public IReadOnlyList<string> Extensions { get; init; } = [];

    /// <summary>Where the extension calls report refused loads (the host's standard error if null).</summary>
    public TextWriter? ExtensionLog { get; init; }

    /// <summary>strace-style tracing of system calls from the first program on.</summary>
    public bool TraceSyscalls { get; init; }

    /// <summary>The library prefix (qemu-user's <c>-L</c>) as a path in the personality's name space, or null: absolute
    /// paths programs name are looked up under it first (<see cref="Sdk.Personality.IPersonality.UseLibraryPrefix"/>).</summary>
    public string? LibraryPrefix { get; init; }

    /// <summary>The first program and its process.</summary>
    public FirstProgram? Program { get; init; }
}

/// <summary>A disk of the machine: a host image file, read-only if <paramref name="ReadOnly"/> (<c>--disk FILE[,ro]</c>).</summary>
public sealed record DiskImage(string Path, bool ReadOnly);

/// <summary>
/// A file system to mount at boot (<c>--mount DISK:PATH[:TYPE]</c>): the disk ("vda" or "/dev/vda"), the absolute path in
/// the personality's name space, and the type, whose extension (extensions/Fs/TYPE, e.g. Fs/Ext2) is loaded first.
/// </summary>
public sealed record DiskMount(string Disk, string Path, string Type = "ext2");

/// <summary>A system's network: its card, its IPv4 configuration, and the protocol extensions stacked on the card.</summary>
/// <param name="Device">The card (attached by the builder after the other devices).</param>
/// <param name="Address">The address, prefix and gateway the system has on it.</param>
/// <param name="Stack">The protocol extensions to load on the card, bottom first (standard extensions' names or paths).</param>
public sealed record NetworkDescription(INetworkDevice Device, Net.NetAddress Address, IReadOnlyList<string> Stack);

/// <summary>The first program of a system: its image, its arguments, and the process it runs as.</summary>
/// <param name="Image">What to load.</param>
/// <param name="Path">The path the program is loaded as (the loader's AT_EXECFN and messages).</param>
/// <param name="Argv">Its arguments, argv[0] included.</param>
/// <param name="Environment">Its environment (NAME=value).</param>
public sealed record FirstProgram(ProgramImage Image, string Path, IReadOnlyList<string> Argv, IReadOnlyList<string> Environment)
{
    /// <summary>Its process id (and the first user strand's id).</summary>
    public int Pid { get; init; } = 1;

    /// <summary>The parent process id it reports (0 for init).</summary>
    public int ParentPid { get; init; }

    /// <summary>Real and effective user id.</summary>
    public uint Uid { get; init; }

    /// <summary>Real and effective group id.</summary>
    public uint Gid { get; init; }

    /// <summary>The executable's absolute path as the process sees it (<see cref="Path"/> if null).</summary>
    public string? Executable { get; init; }

    /// <summary>The absolute working directory in the personality's name space.</summary>
    public string WorkingDirectory { get; init; } = "/";
}

/// <summary>What a first program is made of.</summary>
public abstract record ProgramImage
{
    private ProgramImage() { }

    /// <summary>A RISC-V ELF executable.</summary>
    public sealed record Elf(byte[] Bytes) : ProgramImage
    {
        /// <summary>The bytes of the interpreter its PT_INTERP names (the dynamic loader), read by whoever describes the
        /// system; null for a static program.</summary>
        public byte[]? Interpreter { get; init; }
    }

    /// <summary>
    /// Raw instructions mapped read-execute at <paramref name="Address"/> and started there with a zero stack
    /// pointer (benchmarks and tests of the trap path), with the program break and mapping range given.
    /// </summary>
    public sealed record Code(byte[] Bytes, ulong Address, ulong BrkStart, ulong MapBase, ulong MapLimit) : ProgramImage;
}

/// <summary>A frame buffer's size in pixels (each side 1..4096).</summary>
public readonly record struct FramebufferSize(int Width, int Height);
