using System.Text;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Capability;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Translation;
using Spindle.Kernel.Trap;
using Spindle.Sdk.Capability;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Extensions;

/// <summary>
/// Spindle's own system calls, through which a program loads extensions for itself:
/// <c>1000 spindle_ext_load(const char *path)</c> returns an externalized reference (a small positive int
/// in the calling address space's <see cref="ExternTable"/>) or a negated errno (-ENOENT no such file,
/// -EINVAL refused, -EFAULT bad pointer, -ENAMETOOLONG, -EMFILE table full);
/// <c>1001 spindle_ext_unload(int ref)</c> returns 0 or -EBADF. An extension belongs to the address space
/// that loaded it: when its address space is released (the program ended, or ran execve), its extensions are unloaded.
/// Both numbers are claimed in the kernel's <see cref="Trap.SyscallClaims"/> (as "ext-calls"), so an extension
/// cannot take them. The handlers are the kernel's, installed first on the system-call event, guarded by number: they read
/// a0 before anything else writes the result there; the Linux personality leaves these numbers' result alone.
/// </summary>
public sealed class ProgramExtensions
{
    /// <summary>spindle_ext_load's system-call number.</summary>
    public const int LoadCall = 1000;

    /// <summary>spindle_ext_unload's system-call number.</summary>
    public const int UnloadCall = 1001;

    private const int PathMax = 4096;
    private static readonly KernelOwner Owner = new("ext-calls");

    private readonly ExtensionManager _manager;
    private readonly TextWriter? _log;
    private readonly Dictionary<AddressSpace, ProgramState> _programs = new(ReferenceEqualityComparer.Instance);
    private readonly byte[] _path = new byte[PathMax];

    private sealed class ProgramState
    {
        public readonly ExternTable Table = new(capacity: 256);
        public readonly List<LoadedExtension> Loaded = [];
    }

    /// <summary>
    /// Installs the two calls on <paramref name="kernel"/>'s system-call event and unloads a program's
    /// extensions when its address space is released (after the extensions' own handlers of that event ran).
    /// Reasons for refused loads go to <paramref name="log"/>.
    /// </summary>
    public ProgramExtensions(KernelRoot kernel, ExtensionManager manager, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        _manager = manager ?? throw new ArgumentNullException(nameof(manager));
        _log = log;
        kernel.SyscallClaims.Claim(Owner, LoadCall, "spindle_ext_load");
        kernel.SyscallClaims.Claim(Owner, UnloadCall, "spindle_ext_unload");
        kernel.Dispatcher.Install(Owner, kernel.Traps.Syscall, OnLoad, t => t.Number == LoadCall, InstallOptions.First);
        kernel.Dispatcher.Install(Owner, kernel.Traps.Syscall, OnUnload, t => t.Number == UnloadCall, InstallOptions.First);
        kernel.Dispatcher.Install(Owner, kernel.Lifecycle.SpaceReleased, OnReleased, options: InstallOptions.Last);
    }

    /// <summary>The manager that loads and unloads the extensions.</summary>
    public ExtensionManager Manager => _manager;

    /// <summary>The extensions the program running in <paramref name="space"/> has loaded and not unloaded.</summary>
    public IReadOnlyList<LoadedExtension> LoadedBy(AddressSpace space) =>
        _programs.TryGetValue(space, out var p) ? p.Loaded.Where(e => !e.Domain.IsDestroyed).ToList() : [];

    // spindle_ext_load(path): read the path, load, externalize the extension into the caller's table.
    private bool OnLoad(SyscallTrap trap)
    {
        if (trap.Strand is not UserStrand strand) { trap.Strand.Result = -Errno.ENOSYS; return true; }
        int len = strand.Space.ReadCString(strand.Arg0, _path, PathMax - 1);
        if (len < 0) { strand.Result = len == -2 ? -Errno.ENAMETOOLONG : -Errno.EFAULT; return true; }
        string path = Encoding.UTF8.GetString(_path, 0, len);
        var program = ProgramOf(strand.Space);
        var loaded = _manager.Load(path, strand.Space, out string? error);   // its Translation service acts on this program
        if (loaded is null)
        {
            _log?.WriteLine($"spindle: extension {path}: {error}");
            strand.Result = File.Exists(path) || Directory.Exists(path) ? -Errno.EINVAL : -Errno.ENOENT;
            return true;
        }
        int handle;
        try { handle = loaded.Domain.Externalize(program.Table, loaded); }
        catch (Exception e) when (e is CapabilityException or Domain.DomainException)
        {
            _manager.Unload(loaded);
            strand.Result = -Errno.EMFILE;
            return true;
        }
        program.Loaded.Add(loaded);
        strand.Result = handle;
        return true;
    }

    // spindle_ext_unload(ref): unload the extension the caller's reference names.
    private bool OnUnload(SyscallTrap trap)
    {
        if (trap.Strand is not UserStrand strand) { trap.Strand.Result = -Errno.ENOSYS; return true; }
        if (!_programs.TryGetValue(strand.Space, out var program)
            || program.Table.TryGet<LoadedExtension>((int)strand.Arg0, out var loaded) != CapabilityError.None)
        {
            strand.Result = -Errno.EBADF;
            return true;
        }
        _manager.Unload(loaded!);            // revokes the reference too
        program.Loaded.Remove(loaded!);
        strand.Result = 0;
        return true;
    }

    // An address space was released: the program that ran in it is gone, and its extensions go with it.
    private bool OnReleased(Sdk.Translation.TranslationContext context)
    {
        if (context is not AddressSpace space || !_programs.Remove(space, out var program)) return false;
        foreach (var loaded in program.Loaded) _manager.Unload(loaded);
        return true;
    }

    private ProgramState ProgramOf(AddressSpace space)
    {
        if (!_programs.TryGetValue(space, out var p)) _programs[space] = p = new ProgramState();
        return p;
    }
}
