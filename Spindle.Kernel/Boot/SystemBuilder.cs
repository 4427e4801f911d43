using System.Diagnostics;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Loader;
using Spindle.Kernel.Services;
using Spindle.Kernel.Trap;
using Spindle.Kernel.Translation;
using Spindle.Machine.Devices;
using Spindle.Machine.Memory;
using Spindle.Sdk.Io;
using Spindle.Sdk.Personality;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Boot;

/// <summary>
/// The one way to build a system: <c>spindle run</c>, <c>spindle boot</c>, the bench's guest runner and the
/// tests all come through here.
/// <para>
/// Contract. <see cref="Build"/> is called once per builder, on the thread that will run the CPU. It checks
/// the description before building anything (a personality and a first program are required), then builds
/// in this order, each step relying on the ones before it:
/// <list type="number">
/// <item>the kernel: memory, hart, interrupt lines, dispatcher, scheduler, core services;</item>
/// <item>the first program's address space and its user strand (a program that does not load fails here,
/// before the personality is compiled);</item>
/// <item>the devices, console first, then the disks, the frame buffer (pinned frames) and the network card, each attached to the
/// interrupt lines (before anything can read them);</item>
/// <item>the root file system's host view and the extension manager;</item>
/// <item>the personality, loaded as a checked extension and linked with its grants (file system, console,
/// clock, entropy); the kernel knows it only as an <see cref="IPersonality"/>;</item>
/// <item>the root choice (an in-memory copy), then tracing: both before any process exists;</item>
/// <item>the mounts: each type's file-system extension loaded once, the disk mounted through the Mount event,
/// the file system handed to the personality;</item>
/// <item>the first process, started by the personality on the strand of step 2;</item>
/// <item>the extension calls and the listed extensions: after the personality, whose processes they
/// answer (the first process cannot call them before <see cref="RunningSystem.Run"/>);</item>
/// <item>the network: the card's driver and its protocol extensions (<see cref="Net.NetStack"/>);</item>
/// <item>the kernel's hooks: the console is flushed after every user slice.</item>
/// </list>
/// A failed step throws <see cref="BootException"/> naming what failed and why, after releasing what
/// was built. Nothing runs until <see cref="RunningSystem.Run"/>.
/// </para>
/// </summary>
public sealed class SystemBuilder
{
    private readonly SystemDescription _description;
    private bool _built;

    /// <summary>A builder of the system <paramref name="description"/> describes.</summary>
    public SystemBuilder(SystemDescription description) =>
        _description = description ?? throw new ArgumentNullException(nameof(description));

    /// <summary>Builds <paramref name="description"/>'s system (see <see cref="Build()"/>).</summary>
    public static RunningSystem Build(SystemDescription description) => new SystemBuilder(description).Build();

    /// <summary>
    /// Builds the system, ready to run. Throws <see cref="BootException"/> if the description is incomplete
    /// or a step fails, and InvalidOperationException if this builder already built one.
    /// </summary>
    public RunningSystem Build()
    {
        if (_built) throw new InvalidOperationException("this builder already built its system: a machine is built once (make a new builder)");
        _built = true;
        var d = _description;
        if (string.IsNullOrWhiteSpace(d.Personality))
            throw new BootException("system", "no personality given: the kernel runs programs only through a personality (set SystemDescription.Personality)");
        var program = d.Program ?? throw new BootException("system", "no first program given (set SystemDescription.Program)");
        if (d.Extensions.Count > 0 && !d.ExtensionCalls)
            throw new BootException("system", "extensions are listed but the extension calls are off");

        var kernel = new KernelRoot(new KernelOptions(d.MemoryBytes, program.Pid, d.Slice, d.MachineClock, d.Engine));
        HostFileSystem? fs = null;
        List<FileBlockDevice>? disks = null;
        Net.NetStack? network = null;
        try
        {
            var strand = Load(kernel, program, out var image);
            var console = d.Console ?? new HostConsole();
            if (console is IDevice device) device.Attach(kernel.Lines);
            foreach (var other in d.Devices) other.Attach(kernel.Lines);
            disks = OpenDisks(kernel, d.Disks);
            if (d.Framebuffer is { } size)
            {
                if (size.Width is < 1 or > 4096 || size.Height is < 1 or > 4096)
                    throw new BootException("frame buffer", $"{size.Width}x{size.Height}: each side must be 1..4096");
                kernel.Framebuffer = Video.FramebufferService.Create(kernel.PhysAddr, kernel.Memory, size.Width, size.Height)
                    ?? throw new BootException("frame buffer", $"{size.Width}x{size.Height}: not enough memory for its frames");
            }
            d.Network?.Device.Attach(kernel.Lines);

            fs = new HostFileSystem(d.RootFolder);
            var manager = ExtensionManager.ForKernel(kernel, d.SpindleHome);
            var grants = new PersonalityGrants(fs, console, d.Clock ?? new HostClock(), d.Entropy ?? new HostEntropy(), kernel.PhysAddr);
            string personalityName = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(d.Personality))} personality";
            var personality = (Directory.Exists(d.Personality) || File.Exists(d.Personality)
                    ? LinkedPersonality.Load(manager, d.Personality, grants, out string? error)
                    : LinkedPersonality.LoadStandard(manager, d.Personality, grants, out error))
                ?? throw new BootException(personalityName, error ?? "not loaded");
            if (d.RootInMemory && personality.UseMemoryRoot() is var copied and < 0)
                throw new BootException(d.RootFolder, $"cannot copy it into the root file system (errno {-copied}){Fault(personality)}");
            if (d.TraceSyscalls && !personality.TraceSyscalls(true))
                throw new BootException(personalityName, $"faulted: {personality.LastFault}");
            Mount(kernel, manager, personality, d.Mounts);
            if (d.LibraryPrefix is { } prefix && personality.UseLibraryPrefix(prefix) is var refused and < 0)
                throw new BootException($"library prefix {prefix}", $"not a directory of the name space (errno {-refused}){Fault(personality)}");
            var process = personality.StartProcess(strand, new ProcessStart(program.Pid, program.ParentPid, program.Uid, program.Gid,
                    program.Executable ?? program.Path, program.WorkingDirectory, image.BrkStart, image.MapBase, image.MapLimit))
                ?? throw new BootException(program.Path, $"the {personalityName} did not start the process{Fault(personality)}");
            var calls = d.ExtensionCalls ? StartExtensions(kernel, manager, d) : null;
            network = d.Network is { } net ? Net.NetStack.Start(kernel, manager, net) : null;
            // The personality's sockets reach the stack's services (it asks for them when a socket is made).
            foreach (var layer in network?.Extensions ?? []) manager.Linker.Resolve(personality.Extension.Domain, layer.Domain);
            kernel.Users.Tick = console.Flush;
            Debug.Assert(kernel.Users.LiveCount == 1 && !process.HasExited, "built, nothing has run: the first program's strand is the one user strand");
            return new RunningSystem(kernel, fs, disks, console, personality, calls, strand, process, network);
        }
        catch
        {
            network?.Dispose();
            (d.Network?.Device as IDisposable)?.Dispose();
            fs?.Dispose();
            foreach (var disk in disks ?? []) disk.Dispose();
            kernel.Dispose();
            throw;
        }
    }

    // Step 2: the first program's address space and strand, started at its entry.
    private static UserStrand Load(KernelRoot kernel, FirstProgram program, out ExecImage image)
    {
        switch (program.Image)
        {
            case ProgramImage.Elf elf:
                try { return kernel.StartProgram(elf.Bytes, elf.Interpreter, program.Path, program.Argv, program.Environment, out image); }
                catch (ElfException e) { throw new BootException(program.Path, e.Message, badProgram: true); }
            case ProgramImage.Code code:
                var space = new AddressSpace(kernel.Frames);
                ulong length = ((ulong)code.Bytes.Length + PhysicalMemory.PageSize - 1) & ~(ulong)(PhysicalMemory.PageSize - 1);
                if (length == 0 || !space.MapAnonymous(code.Address, length, PageRights.ReadExecute) || !space.Poke(code.Address, code.Bytes))
                    throw new BootException(program.Path, $"cannot map {code.Bytes.Length} bytes of code at {code.Address:x}", badProgram: true);
                var strand = kernel.Users.Spawn(space);
                strand.Start(code.Address, 0);
                image = new ExecImage(code.BrkStart, code.MapBase, code.MapLimit);
                return strand;
            default:
                throw new BootException(program.Path, $"unknown program image {program.Image.GetType().Name}", badProgram: true);
        }
    }

    // Step 3 (disks): each image opened as the next disk (vda, vdb, ...), driven by the buffer cache, attached.
    private static List<FileBlockDevice> OpenDisks(KernelRoot kernel, IReadOnlyList<DiskImage> images)
    {
        var disks = new List<FileBlockDevice>();
        try
        {
            foreach (var image in images)
            {
                string name = "vd" + (char)('a' + disks.Count);
                FileBlockDevice disk;
                try { disk = new FileBlockDevice(image.Path, name, image.ReadOnly); }
                catch (IOException e) { throw new BootException($"disk {name}", e.Message); }
                disks.Add(disk);
                kernel.Cache.Disks.Add(disk);
                disk.Attach(kernel.Lines);
            }
            return disks;
        }
        catch
        {
            foreach (var disk in disks) disk.Dispose();
            throw;
        }
    }

    // Step 6 (mounts): each type's extension (extensions/Fs/TYPE) loaded once, then each disk mounted and handed to
    // the personality.
    private static void Mount(KernelRoot kernel, ExtensionManager manager, LinkedPersonality personality, IReadOnlyList<DiskMount> mounts)
    {
        var loaded = new HashSet<string>();
        foreach (var m in mounts)
        {
            string subject = $"mount {m.Disk} on {m.Path}";
            string typeFolder = char.ToUpperInvariant(m.Type[0]) + m.Type[1..];
            if (loaded.Add(m.Type))
            {
                string? source = ExtensionSources.Find(Path.Combine("Fs", typeFolder), out string? error);
                if (source is null || manager.Load(source, out error) is null) throw new BootException(subject, $"file system {m.Type}: {error}");
            }
            int device = kernel.Cache.FindDisk(m.Disk);
            if (device < 0) throw new BootException(subject, "no such disk (give it with --disk)");
            bool readOnly = kernel.Cache.Disks.Device(device)!.ReadOnly;
            var result = kernel.FileSystemTypes.MountDisk(new Sdk.Vfs.MountRequest(m.Type, device, readOnly));
            if (result.FileSystem is null) throw new BootException(subject, $"{m.Type}: {result.Reason} (errno {-result.Error})");
            int r = personality.Mount(m.Path, result.FileSystem);
            if (r < 0) throw new BootException(subject, $"the personality refused the mount point (errno {-r}){Fault(personality)}");
        }
    }

    // Step 8: the program-facing extension calls, then each listed extension in order.
    private static ProgramExtensions StartExtensions(KernelRoot kernel, ExtensionManager manager, SystemDescription d)
    {
        var calls = new ProgramExtensions(kernel, manager, d.ExtensionLog ?? System.Console.Error);
        foreach (var path in d.Extensions)
            if (manager.Load(path, out string? error) is null) throw new BootException($"extension {path}", error ?? "not loaded");
        return calls;
    }

    private static string Fault(LinkedPersonality p) => p.LastFault is { } f ? ": " + f : "";
}

/// <summary>A system that could not be built: <see cref="Subject"/> (a program, a personality, an extension) and why.</summary>
public sealed class BootException(string subject, string reason, bool badProgram = false) : Exception($"{subject}: {reason}")
{
    /// <summary>What failed to build.</summary>
    public string Subject { get; } = subject;

    /// <summary>Why.</summary>
    public string Reason { get; } = reason;

    /// <summary>True if the first program itself is not loadable (a shell answers 126 for that).</summary>
    public bool BadProgram { get; } = badProgram;
}
