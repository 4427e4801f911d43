using Spindle.Kernel.Boot;
using Spindle.Kernel.Compiler;
using Spindle.Kernel.Domain;
using System.Runtime.CompilerServices;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Translation;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Extensions;

/// <summary>An extension the manager loaded: its domain and where it came from.</summary>
/// <param name="Domain">The extension's protection domain (destroyed on unload).</param>
/// <param name="Path">The .cs file, source folder or signed .dll it was loaded from.</param>
/// <param name="FromCache">True if a source extension's image came from the compile cache.</param>
public sealed record LoadedExtension(ProtectionDomain Domain, string Path, bool FromCache);

/// <summary>
/// The kernel's extension manager: turns a path into a linked, initialized extension domain.
/// A .cs file or a folder of sources is built by the trusted compiler (through its cache); a .dll
/// must be an image signed by this kernel and is verified. Either way the code gets a fresh domain,
/// is resolved against the public domain (which exports the trap events) and initialized under the
/// meter; a fault there refuses the load. Not thread-safe beyond what the linker guarantees: the
/// kernel calls it from its one strand thread.
/// </summary>
public sealed class ExtensionManager
{
    private readonly ExtensionCompiler _compiler;
    private readonly DomainOptions _options;
    private readonly string? _compileLock;   // file serializing source builds across kernels sharing a home; null: none
    private readonly Dictionary<string, TranslationContext> _pendingPrograms = [];   // domain name -> loading program, during Load
    private readonly ConditionalWeakTable<ProtectionDomain, DomainTranslationService> _translations = [];
    private ITranslationService? _translation;   // the kernel's, restricted per domain; null: not exported
    private int _sequence;

    /// <summary>Creates a manager linking into <paramref name="linker"/> and compiling with <paramref name="compiler"/>.</summary>
    public ExtensionManager(Linker linker, ExtensionCompiler compiler, DomainOptions? options = null)
        : this(linker, compiler, options, compileLock: null) { }

    private ExtensionManager(Linker linker, ExtensionCompiler compiler, DomainOptions? options, string? compileLock)
    {
        Linker = linker ?? throw new ArgumentNullException(nameof(linker));
        _compiler = compiler ?? throw new ArgumentNullException(nameof(compiler));
        _options = options ?? DomainOptions.Default;
        _compileLock = compileLock;
    }

    /// <summary>
    /// A manager for <paramref name="kernel"/>: a linker on its dispatcher whose verifier trusts the kernel
    /// key under <paramref name="spindleHome"/>, and whose public domain exports the kernel's trap and lifecycle events, its packet and block-request pools, the
    /// buffer cache, the file-system types and,
    /// to each extension, the strand service acting for it (a policy it installs goes when it is destroyed), alarms
    /// charged to it (<see cref="Time.DomainAlarms"/>), the
    /// system-call number registry claiming in its name (its numbers are released when it is destroyed) and
    /// the Translation service restricted to the contexts it was granted (<see cref="DomainTranslationService"/>:
    /// the program that loaded it through <see cref="Load(string, TranslationContext?, out string?)"/>, and
    /// the contexts it creates).
    /// </summary>
    /// <remarks>
    /// The fault events are the kernel's: the Translation service's authorizer imposes on every handler an
    /// extension installs there the guard <c>f.Context == program</c>, so it sees only the faults of the program
    /// that loaded it, and an extension loaded by no program may not handle faults at all.
    /// </remarks>
    public static ExtensionManager ForKernel(KernelRoot kernel, string spindleHome, DomainOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var compiler = new ExtensionCompiler(spindleHome);
        var linker = new Linker(kernel.Dispatcher, image => VerifyWith(compiler, image));
        var manager = new ExtensionManager(linker, compiler, options, System.IO.Path.Combine(spindleHome, "compile.lock"));
        linker.Public.Export<ITrapEvents>(kernel.Traps);
        linker.Public.Export<ILifecycleEvents>(kernel.Lifecycle);
        linker.Public.Export<Sdk.Net.IMbufPool>(kernel.Packets);
        linker.Public.Export<Sdk.Block.IBlockRequestPool>(kernel.BlockRequests);
        linker.Public.Export<Sdk.Block.IBufferCache>(kernel.Cache);
        linker.Public.Export<Sdk.Vfs.IFileSystemTypes>(kernel.FileSystemTypes);
        if (kernel.Framebuffer is { } framebuffer) linker.Public.Export<Sdk.Video.IFramebuffer>(framebuffer);
        linker.Public.Export<Sdk.Time.IClock>(new Services.HostClock());
        linker.Public.ExportPerImporter<IStrandService>(domain => new DomainStrandService(kernel.StrandsFor(domain), domain));
        linker.Public.ExportPerImporter<Sdk.Time.IAlarms>(domain => new Time.DomainAlarms(kernel.Scheduler, kernel.Dispatcher, domain));
        linker.Public.ExportPerImporter<ISyscallClaims>(domain => new DomainSyscallClaims(kernel.SyscallClaims, domain));
        manager._translation = kernel.Translation;
        kernel.Translation.ExtensionScope = manager.FaultScope;
        linker.Public.ExportPerImporter<ITranslationService>(manager.TranslationFor);
        return manager;
    }

    /// <summary>The linker extension domains live in.</summary>
    public Linker Linker { get; }

    /// <summary>
    /// Loads the extension at <paramref name="path"/>. Returns null and the reasons in
    /// <paramref name="error"/> (one per line) if it does not exist, does not compile, breaks the policy,
    /// is not signed by this kernel, or faults while initializing. Never throws for bad input.
    /// </summary>
    public LoadedExtension? Load(string path, out string? error) => Load(path, _options, [], out error);

    /// <summary>
    /// As <see cref="Load(string, out string?)"/>, for the program whose context is <paramref name="program"/>
    /// (spindle_ext_load): the extension's Translation service acts on that context. Null: on none but its own.
    /// </summary>
    public LoadedExtension? Load(string path, TranslationContext? program, out string? error) =>
        Load(path, _options, [], program, out error);

    /// <summary>
    /// As <see cref="Load(string, out string?)"/>, with the domain's limits <paramref name="options"/>, and
    /// resolved against each of <paramref name="imports"/> (besides the public domain) before it is
    /// initialized: how the kernel grants an extension privileged services. A refused resolution refuses the load.
    /// </summary>
    public LoadedExtension? Load(string path, DomainOptions options, ProtectionDomain[] imports, out string? error) =>
        Load(path, options, imports, program: null, out error);

    // Load's body: build or read the image, then link it as a fresh domain granted `program`'s context.
    private LoadedExtension? Load(string path, DomainOptions options, ProtectionDomain[] imports, TranslationContext? program, out string? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(imports);
        error = null;
        if (string.IsNullOrEmpty(path)) { error = "empty extension path"; return null; }
        byte[]? image;
        bool fromCache = false;
        string name;
        if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            image = ReadImage(path, out error);
            name = System.IO.Path.GetFileNameWithoutExtension(path);
        }
        else
        {
            var source = ExtensionSource.Load(path, out error);
            if (source is null) return null;
            BuildResult? built = _compiler.FromCache(source);
            if (built is null)
                using (CompileLock.Acquire(_compileLock)) built = _compiler.Build(source);
            if (!built.Succeeded) { error = $"{path}: refused:\n" + string.Join("\n", built.Violations); return null; }
            image = built.Assembly;
            fromCache = built.FromCache;
            name = source.Name;
        }
        if (image is null) return null;
        string domainName = $"{name}#{Interlocked.Increment(ref _sequence)}";
        if (program is not null) lock (_pendingPrograms) _pendingPrograms[domainName] = program;
        try
        {
            var domain = Linker.Load(domainName, image, options, imports);
            if (_translation is not null) TranslationFor(domain);   // bind the grant now for an import made later
            return new LoadedExtension(domain, path, fromCache);
        }
        catch (Exception e)
        {
            // The linker refuses with DomainException; anything else is a kernel bug, and still must not escape
            // into the load call (a user program can make it), so it is reported the same way.
            error = e is DomainException ? e.Message : $"{domainName}: refused: {FaultText.Describe(e)}";
            return null;
        }
        finally
        {
            if (program is not null) lock (_pendingPrograms) _pendingPrograms.Remove(domainName);
        }
    }

    // The Translation service `domain` imports: one per domain, made at its first import (or when Load finishes
    // initializing it) with the context of the program loading it, if any. Caller: _translation is set.
    private DomainTranslationService TranslationFor(ProtectionDomain domain) =>
        _translations.GetValue(domain, d =>
        {
            TranslationContext? program;
            lock (_pendingPrograms) _pendingPrograms.TryGetValue(d.Name, out program);
            return new DomainTranslationService(_translation!, program);
        });

    // The Translation service's view of an installer: a metered (extension) domain serves the program that
    // loaded it, or none; trusted domains and kernel modules are not extensions.
    private bool FaultScope(string installer, out TranslationContext? program)
    {
        program = null;
        var domain = Linker.Find(installer);
        if (domain is null || domain.Fuel == 0) return false;
        if (_translations.TryGetValue(domain, out var translation)) program = translation.Program;
        return true;
    }

    /// <summary>Unloads an extension: uninstalls its handlers, revokes its capabilities, unloads its code. Idempotent.</summary>
    public void Unload(LoadedExtension extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        Linker.Destroy(extension.Domain);
    }

    private static byte[]? ReadImage(string path, out string? error)
    {
        error = null;
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e is FileNotFoundException or DirectoryNotFoundException ? $"{path}: no such file or directory" : $"{path}: {e.Message}";
            return null;
        }
    }

    private static IReadOnlyList<string> VerifyWith(ExtensionCompiler compiler, ReadOnlySpan<byte> image)
    {
        KernelKey key;
        try { key = compiler.Key; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return [$"cannot load the kernel key: {e.Message}"];
        }
        return ExtensionVerifier.Verify(image, key, ExtensionPolicy.Default).Select(v => v.ToString()).ToList();
    }
}
