using Spindle.Kernel.Domain;
using Spindle.Sdk.Io;
using Spindle.Sdk.Personality;
using Spindle.Sdk.Time;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Extensions;

/// <summary>The host services the kernel grants a personality's domain (and no other domain).</summary>
/// <param name="FileSystem">The host file system the personality's root starts from.</param>
/// <param name="Console">The console its first process's standard streams are.</param>
/// <param name="Clock">The clock.</param>
/// <param name="Entropy">The entropy source (getrandom).</param>
/// <param name="Memory">The machine's frames (the personality reads their counts for /proc/meminfo and sysinfo); null: not granted.</param>
public sealed record PersonalityGrants(IHostFileSystem FileSystem, IConsole Console, IClock Clock, IEntropySource Entropy,
    Sdk.PhysAddr.IPhysAddrService? Memory = null);

/// <summary>
/// A personality loaded as an extension: its sources compiled by the trusted compiler (through the cache),
/// linked into its own domain with the host services of <see cref="PersonalityGrants"/> granted by a guarded
/// kernel domain that admits that one domain only, and reached solely through the <see cref="IPersonality"/>
/// it exports. Every call into it runs under the meter with the domain's fuel.
/// </summary>
public sealed class LinkedPersonality
{
    /// <summary>
    /// The personality domain's limits: every system call is one metered call, so fuel and allocation are
    /// generous (a write of a megabyte copies byte ranges in loops; the boot root is copied in one call), and
    /// what it keeps is not audited: it holds the in-memory root file system and every process's state.
    /// </summary>
    public static readonly DomainOptions Limits = new()
    {
        Fuel = 2_000_000_000,
        InitializeFuel = 2_000_000_000,
        AllocationBudget = 1L << 30,
        MemoryQuota = long.MaxValue,
    };

    private static int s_sequence;
    private readonly ExtensionManager _manager;
    private readonly ProtectionDomain _grants;
    private readonly IPersonality _personality;

    private LinkedPersonality(ExtensionManager manager, LoadedExtension extension, ProtectionDomain grants, IPersonality personality)
    {
        _manager = manager;
        Extension = extension;
        _grants = grants;
        _personality = personality;
    }

    /// <summary>The loaded extension (its domain, and whether its image came from the compile cache).</summary>
    public LoadedExtension Extension { get; }

    /// <summary>The personality's name as it reports it.</summary>
    public string Name => Call(p => p.Name, "?");

    /// <summary>
    /// Loads the personality at <paramref name="path"/> (a source folder, .cs file or signed .dll) through
    /// <paramref name="manager"/>, granting it <paramref name="grants"/>. Returns null and the reason in
    /// <paramref name="error"/> if it does not load, or does not export an <see cref="IPersonality"/>.
    /// </summary>
    public static LinkedPersonality? Load(ExtensionManager manager, string path, PersonalityGrants grants, out string? error)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(grants);
        int n = Interlocked.Increment(ref s_sequence);
        var linker = manager.Linker;
        bool granted = false;   // one grant: the first domain resolved against it, the personality's
        var services = linker.CreateKernelDomain($"personality-grants#{n}", _ => !granted && (granted = true));
        services.Export(grants.FileSystem);
        services.Export(grants.Console);
        services.Export(grants.Clock);
        services.Export(grants.Entropy);
        if (grants.Memory is { } memory) services.Export(memory);

        var loaded = manager.Load(path, Limits, [services], out error);
        if (loaded is null) { linker.Destroy(services); return null; }
        var kernelSide = linker.CreateKernelDomain($"personality-importer#{n}");
        try
        {
            linker.Resolve(kernelSide, loaded.Domain);
            if (kernelSide.TryImport<IPersonality>(out var personality))
                return new LinkedPersonality(manager, loaded, services, personality);
            error = $"{path}: the extension exports no {typeof(IPersonality).FullName}";
        }
        catch (DomainException e) { error = e.Message; }
        finally { linker.Destroy(kernelSide); }
        manager.Unload(loaded);
        linker.Destroy(services);
        return null;
    }

    /// <summary>Loads the standard personality extensions/<paramref name="name"/> (see <see cref="ExtensionSources.Find"/>) as <see cref="Load"/> does.</summary>
    public static LinkedPersonality? LoadStandard(ExtensionManager manager, string name, PersonalityGrants grants, out string? error)
    {
        string? path = ExtensionSources.Find(name, out error);
        return path is null ? null : Load(manager, path, grants, out error);
    }

    /// <summary>Turns strace-style tracing of system calls on or off. Returns false if the personality faulted.</summary>
    public bool TraceSyscalls(bool on) => Run(p => p.TraceSyscalls(on));

    /// <summary>Makes the root an in-memory copy of the granted file system; returns the entries copied, or a negated errno (-EIO if the personality faulted).</summary>
    public int UseMemoryRoot() => Call(p => p.UseMemoryRoot(), -Errno.EIO);

    /// <summary>Mounts <paramref name="fs"/> on <paramref name="path"/> in the personality's name space: 0, or a negated errno (-EIO if the personality faulted).</summary>
    public int Mount(string path, Sdk.Vfs.IFileSystem fs) => Call(p => p.Mount(path, fs), -Errno.EIO);

    /// <summary>Makes <paramref name="path"/> the library prefix (qemu-user's -L): 0, or a negated errno (-EIO if the personality faulted).</summary>
    public int UseLibraryPrefix(string path) => Call(p => p.UseLibraryPrefix(path), -Errno.EIO);

    /// <summary>Starts <paramref name="strand"/> as the first thread of a process; null if the personality refused or faulted.</summary>
    public IProcessStatus? StartProcess(IUserStrand strand, ProcessStart start) => Call(p => p.StartProcess(strand, start), null);

    /// <summary>
    /// The exit status the personality's shell reports for a strand that ended as <paramref name="end"/> says (what the
    /// command line answers when the process reported none); 1 if the personality faulted.
    /// </summary>
    public int ExitStatus(StrandEnd end) => Call(p => p.ExitStatus(end), 1);

    /// <summary>Why the personality's last call faulted, or null.</summary>
    public string? LastFault => Extension.Domain.LastFault;

    /// <summary>Unloads the personality and withdraws its grants. Idempotent.</summary>
    public void Unload()
    {
        _manager.Unload(Extension);
        _manager.Linker.Destroy(_grants);
    }

    // Calls into the personality under the meter; `failed` if it faulted.
    private T Call<T>(Func<IPersonality, T> call, T failed)
    {
        T result = failed;
        return Run(p => result = call(p)) ? result : failed;
    }

    private bool Run(Action<IPersonality> call) => Extension.Domain.Run(() => call(_personality));
}
