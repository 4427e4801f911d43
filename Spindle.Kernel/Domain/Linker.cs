using System.Reflection;
using System.Runtime.CompilerServices;
using Spindle.Kernel.Compiler;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;
using Spindle.Sdk;

namespace Spindle.Kernel.Domain;

/// <summary>Returns the reasons a signed extension image is refused; empty if it may be loaded.</summary>
public delegate IReadOnlyList<string> ImageVerifier(ReadOnlySpan<byte> signedImage);

/// <summary>
/// The kernel's table of domains and SPIN's Domain operations on them: Create (from a checked,
/// signed assembly), Resolve (link an importer against an exporter, asking the exporter's
/// authorizer), Combine, Initialize, Destroy. The <see cref="Public"/> domain holds what every
/// extension may use; every extension domain is resolved against it when created. Privileged
/// services sit in kernel domains guarded by authorizers.
/// </summary>
public sealed class Linker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ProtectionDomain> _domains = new(StringComparer.Ordinal);

    private readonly ImageVerifier _verify;

    /// <summary>
    /// Creates a linker whose extensions install handlers on <paramref name="dispatcher"/>, with an
    /// empty, unguarded public domain. <paramref name="verifier"/> checks images before
    /// <see cref="Create"/> loads them (default: <see cref="ExtensionVerifier.Verify(ReadOnlySpan{byte})"/>, the kernel key under the Spindle home).
    /// </summary>
    public Linker(KernelDispatcher dispatcher, ImageVerifier? verifier = null)
    {
        Dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _verify = verifier ?? ExtensionVerifier.Verify;
        Public = CreateKernelDomain("public");
    }

    /// <summary>The dispatcher extension handlers are installed on.</summary>
    public KernelDispatcher Dispatcher { get; }

    /// <summary>The domain every extension is resolved against.</summary>
    public ProtectionDomain Public { get; }

    /// <summary>The live domains.</summary>
    public IReadOnlyList<ProtectionDomain> Domains { get { lock (_lock) return [.. _domains.Values]; } }

    /// <summary>The live domain called <paramref name="name"/>, or null.</summary>
    public ProtectionDomain? Find(string name) { lock (_lock) return _domains.GetValueOrDefault(name); }

    /// <summary>Creates a domain for kernel services, guarded by <paramref name="authorizer"/> if given.</summary>
    public ProtectionDomain CreateKernelDomain(string name, DomainAuthorizer? authorizer = null) =>
        Register(new ProtectionDomain(this, CheckName(name), DomainOptions.Default, authorizer));

    /// <summary>
    /// Creates an extension domain from a signed assembly produced by the trusted compiler: verifies
    /// it (signature, then metadata policy), loads it into a fresh collectible load context
    /// without running any of its code, and resolves it against <see cref="Public"/>.
    /// Throws <see cref="DomainException"/> with the verifier's reasons if it is refused.
    /// </summary>
    public ProtectionDomain Create(string name, byte[] signedImage, DomainOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(signedImage);
        var reasons = _verify(signedImage);
        if (reasons.Count > 0)
            throw new DomainException($"{name}: refused by the verifier:\n  " + string.Join("\n  ", reasons));
        return CreateVerified(name, signedImage, options);
    }

    /// <summary>
    /// Create, without the verifier: for images the caller has just produced with the trusted
    /// pipeline (tests before the verifier exists, the compile cache). Never for outside input.
    /// </summary>
    internal ProtectionDomain CreateVerified(string name, byte[] image, DomainOptions? options = null)
    {
        var domain = Register(new ProtectionDomain(this, CheckName(name), options ?? DomainOptions.Default, authorizer: null));
        var context = new ExtensionLoadContext(name);
        try
        {
            domain.Attach(context, context.LoadFromStream(new MemoryStream(image, writable: false)));
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            Destroy(domain);
            context.Unload();
            throw new DomainException($"{name}: not a loadable assembly: {e.Message}", e);
        }
        domain.AddImport(Public);
        MemoryAudit.Track(domain);
        return domain;
    }

    /// <summary>
    /// Links <paramref name="importer"/> against <paramref name="exporter"/>: the importer sees the
    /// exporter's services and may reference its assemblies. Throws <see cref="DomainException"/>
    /// if an authorizer refuses, or either domain is destroyed.
    /// </summary>
    public void Resolve(ProtectionDomain importer, ProtectionDomain exporter)
    {
        ArgumentNullException.ThrowIfNull(importer);
        ArgumentNullException.ThrowIfNull(exporter);
        if (exporter.IsDestroyed) throw new DomainException($"{exporter.Name}: destroyed");
        if (ReferenceEquals(importer, exporter)) throw new DomainException($"{importer.Name}: cannot resolve against itself");
        if (exporter.Authorize(importer) is { } refusedBy)
            throw new DomainException($"{importer.Name}: resolution against {exporter.Name} refused by the authorizer of {refusedBy}");
        importer.AddImport(exporter);
    }

    /// <summary>Creates a domain that exports the union of <paramref name="parts"/>' exports; resolving against it asks each part's authorizer.</summary>
    public ProtectionDomain Combine(string name, params ProtectionDomain[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0) throw new DomainException($"{name}: nothing to combine");
        foreach (var part in parts)
            if (part is null || part.IsDestroyed) throw new DomainException($"{name}: cannot combine a destroyed domain");
        return Register(new ProtectionDomain(this, CheckName(name), DomainOptions.Default, authorizer: null, parts));
    }

    /// <summary>
    /// Runs the extension's static constructors, then every public <see cref="IExtension"/> entry
    /// point, each under the meter with the domain's initialization fuel. Refuses (destroying the
    /// domain) if an assembly it references was not granted, or if any of that code faults.
    /// </summary>
    public void Initialize(ProtectionDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.IsDestroyed) throw new DomainException($"{domain.Name}: destroyed");
        if (domain.IsInitialized) throw new DomainException($"{domain.Name}: already initialized");
        if (domain.Assembly is not { } assembly || domain.LoadContext is not { } context)
            throw new DomainException($"{domain.Name}: holds no extension code");

        foreach (var reference in assembly.GetReferencedAssemblies())
            if (!context.CanResolve(reference))
                Refuse(domain, $"unresolved import: assembly '{reference.Name}' is not granted (resolve against the domain that exports it)");

        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { Refuse(domain, $"types do not load: {FaultText.Describe(e.LoaderExceptions.FirstOrDefault())}"); return; }

        long fuel = domain.Options.InitializeFuel;
        foreach (var type in types)
            if (!type.ContainsGenericParameters
                && !domain.Run(() => RuntimeHelpers.RunClassConstructor(type.TypeHandle), fuel, out var fault))
                Refuse(domain, $"static constructor of {type.FullName} faulted: {FaultText.Describe(fault)}");

        var entryContext = new ExtensionContext(domain, new DomainDispatcher(Dispatcher.For(domain), domain));
        foreach (var type in types.Where(IsEntryPoint))
            if (!domain.Run(() => ((IExtension)Activator.CreateInstance(type)!).Initialize(entryContext), fuel, out var fault))
                Refuse(domain, $"{type.FullName}.Initialize faulted: {FaultText.Describe(fault)}");
        domain.IsInitialized = true;
    }

    /// <summary>Create, Resolve against each of <paramref name="imports"/>, then Initialize.</summary>
    public ProtectionDomain Load(string name, byte[] signedImage, DomainOptions? options = null, params ProtectionDomain[] imports)
    {
        var domain = Create(name, signedImage, options);
        LinkAndInitialize(domain, imports);
        return domain;
    }

    // Resolve + Initialize; destroys the domain if either fails.
    internal void LinkAndInitialize(ProtectionDomain domain, ProtectionDomain[] imports)
    {
        try
        {
            foreach (var exporter in imports) Resolve(domain, exporter);
            Initialize(domain);
        }
        catch
        {
            Destroy(domain);
            throw;
        }
    }

    /// <summary>
    /// Destroys <paramref name="domain"/>: uninstalls its handlers and revokes its capabilities
    /// (through the dispatcher, and by disposing every tracked binding), withdraws its exports from every importer, and unloads its
    /// code. The code is collected once nothing references it; a domain that others were resolved
    /// against stays in memory until they are destroyed too. Idempotent; never throws for a binding's failure.
    /// </summary>
    public void Destroy(ProtectionDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (ReferenceEquals(domain, Public)) throw new DomainException("the public domain cannot be destroyed");
        var (bindings, context) = domain.Detach();
        lock (_lock)
        {
            if (_domains.TryGetValue(domain.Name, out var live) && ReferenceEquals(live, domain)) _domains.Remove(domain.Name);
        }
        foreach (var other in Domains) other.RemoveImport(domain);
        bindings.Insert(0, new Uninstaller(Dispatcher, domain));
        foreach (var binding in bindings)
        {
            try { binding.Dispose(); }
            catch (Exception) { /* a failing uninstall must not keep the rest bound */ }
        }
        if (context is not null)
        {
            context.UnlinkAll();
            context.Unload();
        }
    }

    // Uninstalls every handler the domain installed through its dispatcher facade.
    private sealed class Uninstaller(KernelDispatcher dispatcher, ProtectionDomain domain) : IDisposable
    {
        public void Dispose() => dispatcher.UninstallAll(domain);
    }

    private static bool IsEntryPoint(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsPublic: true, ContainsGenericParameters: false }
        && typeof(IExtension).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null;

    private void Refuse(ProtectionDomain domain, string why)
    {
        Destroy(domain);
        throw new DomainException($"{domain.Name}: {why}");
    }

    private ProtectionDomain Register(ProtectionDomain domain)
    {
        lock (_lock)
            if (!_domains.TryAdd(domain.Name, domain)) throw new DomainException($"{domain.Name}: a domain of that name exists");
        return domain;
    }

    private static string CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl))
            throw new DomainException($"invalid domain name '{name}'");
        return name;
    }
}
