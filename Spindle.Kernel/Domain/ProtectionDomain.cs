using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Spindle.Kernel.Capability;
using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Domain;

/// <summary>Decides whether <paramref name="importer"/> may be resolved against the guarded domain.</summary>
public delegate bool DomainAuthorizer(ProtectionDomain importer);

/// <summary>
/// SPIN's Domain: a named set of exported services (interface type to implementation), plus, for an
/// extension, the code that implements them, loaded into its own collectible load context.
/// A domain sees the services of the domains it was resolved against (see <see cref="Linker"/>).
/// It is the owner its handlers are charged to: faults are counted, and past the limit the
/// domain is destroyed: its handlers uninstalled, its capabilities revoked, its code unloaded.
/// </summary>
public sealed class ProtectionDomain : IHandlerOwner
{
    private readonly Lock _lock = new();
    private readonly Linker _linker;
    private readonly DomainAuthorizer? _authorizer;
    private readonly DomainOptions _options;
    private readonly Dictionary<Type, object> _exports = [];
    private readonly Dictionary<Type, Func<ProtectionDomain, object>> _perImporter = [];   // services made per importer
    private readonly List<ProtectionDomain> _imports = [];     // domains resolved against, in order
    private readonly List<ProtectionDomain> _parts;            // Combine: the domains this one aggregates
    private readonly List<IDisposable> _bindings = [];         // handler installs, capability revocations
    private readonly HashSet<ExternTable> _tables = [];        // tables this domain externalized into
    private ExtensionLoadContext? _context;
    private Assembly? _assembly;
    private int _faults;

    internal ProtectionDomain(Linker linker, string name, DomainOptions options, DomainAuthorizer? authorizer,
        IEnumerable<ProtectionDomain>? parts = null)
    {
        _linker = linker;
        Name = name;
        _options = options;
        _authorizer = authorizer;
        _parts = parts?.ToList() ?? [];
    }

    /// <summary>The domain's name, unique within its linker.</summary>
    public string Name { get; }

    /// <summary>Meter fuel per call into this domain; 0 for a kernel domain (trusted, unmetered).</summary>
    public long Fuel => IsExtension ? _options.Fuel : 0;

    /// <summary>Bytes one call into this domain may allocate.</summary>
    public long AllocationBudget => _options.AllocationBudget;

    /// <summary>True for a domain holding extension code (as opposed to kernel exports or a combination).</summary>
    public bool IsExtension { get; private set; }

    /// <summary>True once the domain is destroyed.</summary>
    public bool IsDestroyed { get; private set; }

    /// <summary>True once the extension's static constructors and entry points have run.</summary>
    public bool IsInitialized { get; internal set; }

    /// <summary>Faults charged so far.</summary>
    public int Faults => Volatile.Read(ref _faults);

    /// <summary>The last fault's description (<see cref="FaultText.Describe"/>), or null.</summary>
    public string? LastFault { get; private set; }

    /// <summary>True if an authorizer guards resolution against this domain.</summary>
    public bool IsGuarded => _authorizer is not null || _parts.Any(p => p.IsGuarded);

    /// <summary>The extension's assembly, or null for a kernel or combined domain.</summary>
    internal Assembly? Assembly => _assembly;

    internal ExtensionLoadContext? LoadContext => _context;

    internal DomainOptions Options => _options;

    /// <summary>Adds <paramref name="service"/> as this domain's implementation of interface <typeparamref name="T"/>.</summary>
    public void Export<T>(T service) where T : class => Export(typeof(T), service);

    /// <summary>Adds <paramref name="service"/> as this domain's implementation of interface <paramref name="type"/>; throws <see cref="DomainException"/> if it is not one, or the type is already exported.</summary>
    public void Export(Type type, object service)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(service);
        if (!type.IsInterface) throw new DomainException($"{Name}: {type.FullName} is not an interface; only interfaces are exported");
        if (!type.IsInstanceOfType(service)) throw new DomainException($"{Name}: {service.GetType().FullName} does not implement {type.FullName}");
        lock (_lock)
        {
            ThrowIfDestroyed();
            if (_perImporter.ContainsKey(type) || !_exports.TryAdd(type, service)) throw new DomainException($"{Name}: {type.FullName} is already exported");
        }
    }

    /// <summary>
    /// Exports interface <typeparamref name="T"/> as a service made for each importer by <paramref name="factory"/>
    /// (called at each import with the importing domain): a kernel service that must act on the importer's
    /// behalf, such as the strand service charging policies to it. Throws <see cref="DomainException"/> if
    /// <typeparamref name="T"/> is not an interface or is already exported.
    /// </summary>
    public void ExportPerImporter<T>(Func<ProtectionDomain, T> factory) where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!typeof(T).IsInterface) throw new DomainException($"{Name}: {typeof(T).FullName} is not an interface; only interfaces are exported");
        lock (_lock)
        {
            ThrowIfDestroyed();
            if (_exports.ContainsKey(typeof(T)) || !_perImporter.TryAdd(typeof(T), factory))
                throw new DomainException($"{Name}: {typeof(T).FullName} is already exported");
        }
    }

    /// <summary>Finds the service of type <typeparamref name="T"/> among the domains this one was resolved against.</summary>
    public bool TryImport<T>([MaybeNullWhen(false)] out T service) where T : class
    {
        ProtectionDomain[] imports;
        lock (_lock) imports = [.. _imports];
        foreach (var domain in imports)
            if (domain.FindExport(typeof(T), this) is T found) { service = found; return true; }
        service = null;
        return false;
    }

    /// <summary>
    /// Records a binding that <see cref="Linker.Destroy"/> disposes (handlers installed through the
    /// dispatcher need none: the dispatcher records them by owner): a capability revocation, a
    /// kernel resource held for the domain. On a destroyed domain it is disposed at once.
    /// </summary>
    public void Track(IDisposable binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        lock (_lock)
            if (!IsDestroyed) { _bindings.Add(binding); return; }
        binding.Dispose();
    }

    /// <summary>Externalizes <paramref name="value"/> into <paramref name="table"/> on this domain's behalf; the handle is revoked when the domain is destroyed. Throws <see cref="DomainException"/> on a destroyed domain.</summary>
    public int Externalize(ExternTable table, object value)
    {
        ArgumentNullException.ThrowIfNull(table);
        lock (_lock)
        {
            ThrowIfDestroyed();
            if (_tables.Add(table)) _bindings.Add(new Revocation(table, this));
            return table.Externalize(value, this);
        }
    }

    /// <summary>
    /// Calls extension code on this domain's behalf under the meter (this domain's fuel and
    /// allocation budget). Returns true if it completed; a fault is charged and false returned.
    /// </summary>
    public bool Run(Action call) => Run(call, _options.Fuel, out _);

    // As Run, with explicit fuel; `fault` is the exception, unwrapped from reflection wrappers.
    internal bool Run(Action call, long fuel, [NotNullWhen(false)] out Exception? fault)
    {
        fault = null;
        if (IsDestroyed) { fault = new DomainException($"{Name}: destroyed"); return false; }
        try
        {
            Meter.Arm(fuel, _options.AllocationBudget);
            try { call(); }
            finally { Meter.Disarm(); }
            return true;
        }
        catch (Exception e)
        {
            fault = Unwrap(e);
            ChargeFault(fault);
            return false;
        }
    }

    /// <summary>
    /// Counts a fault against this domain, then records its description (<see cref="FaultText"/>: kernel data only,
    /// no extension code runs), then destroys the domain once the fault limit is reached. Never throws.
    /// </summary>
    public void ChargeFault(Exception fault)
    {
        bool destroy = Interlocked.Increment(ref _faults) >= _options.FaultLimit;
        LastFault = FaultText.Describe(fault);
        if (destroy) DestroyContained();
    }

    /// <summary>
    /// Charges <paramref name="why"/> as a fault and destroys the domain whatever its fault count: for a breach
    /// the domain cannot be allowed to repeat (its memory quota). Never throws.
    /// </summary>
    internal void Revoke(string why)
    {
        Interlocked.Increment(ref _faults);
        LastFault = why;
        DestroyContained();
    }

    // Destroys an extension domain (a kernel domain is never destroyed for its faults); nothing escapes.
    private void DestroyContained()
    {
        if (!IsExtension) return;
        try { _linker.Destroy(this); }
        catch (Exception)
        {
            // Destroy already contains every binding's failure; nothing may escape into the dispatcher.
        }
    }

    // What the domain keeps alive that the kernel can see: its statics, its handlers, its exports (MemoryAudit's roots).
    // Statics are read only once the domain is initialized: reading a static runs its type's class constructor, and
    // before Linker.Initialize has run them all under the meter, the audit would run extension code unmetered
    // (a looping constructor hung the audit's caller).
    internal IEnumerable<object> Roots()
    {
        if (_assembly is { } assembly && IsInitialized)
            foreach (var value in MemoryAudit.StaticsOf(assembly)) yield return value;
        foreach (var binding in _linker.Dispatcher.BindingsOf(this)) yield return binding.Handler;
        object[] exports;
        lock (_lock) exports = [.. _exports.Values];
        foreach (var service in exports) yield return service;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    // This domain's service of `type` for `importer`, looking through combined parts; null if none or destroyed.
    internal object? FindExport(Type type, ProtectionDomain importer)
    {
        Func<ProtectionDomain, object>? factory;
        lock (_lock)
        {
            if (IsDestroyed) return null;
            if (_exports.TryGetValue(type, out var service)) return service;
            _perImporter.TryGetValue(type, out factory);
        }
        if (factory is not null) return factory(importer);
        foreach (var part in _parts)
            if (part.FindExport(type, importer) is { } found) return found;
        return null;
    }

    // Asks the authorizers of this domain and of every part whether `importer` may link against it.
    internal string? Authorize(ProtectionDomain importer)
    {
        if (_authorizer is not null && !_authorizer(importer)) return Name;
        foreach (var part in _parts)
            if (part.Authorize(importer) is { } refusedBy) return refusedBy;
        return null;
    }

    // The extension assemblies this domain provides to importers (its own and its parts').
    internal IEnumerable<Assembly> ProvidedAssemblies()
    {
        if (_assembly is not null) yield return _assembly;
        foreach (var part in _parts)
            foreach (var a in part.ProvidedAssemblies()) yield return a;
    }

    // Linker: attaches the loaded code.
    internal void Attach(ExtensionLoadContext context, Assembly assembly)
    {
        _context = context;
        _assembly = assembly;
        IsExtension = true;
    }

    // Linker: adds `exporter` to the domains whose services this one sees.
    internal void AddImport(ProtectionDomain exporter)
    {
        lock (_lock)
        {
            ThrowIfDestroyed();
            if (!_imports.Contains(exporter)) _imports.Add(exporter);
        }
        if (_context is not null)
            foreach (var assembly in exporter.ProvidedAssemblies()) _context.Link(assembly);
    }

    // Linker: drops `exporter` from the imports (it was destroyed).
    internal void RemoveImport(ProtectionDomain exporter)
    {
        lock (_lock) _imports.Remove(exporter);
    }

    // Linker: marks the domain destroyed and returns the bindings to dispose and the context to
    // unload; drops every reference into the extension's code so the context can be collected.
    internal (List<IDisposable> Bindings, ExtensionLoadContext? Context) Detach()
    {
        lock (_lock)
        {
            if (IsDestroyed) return ([], null);
            IsDestroyed = true;
            var bindings = new List<IDisposable>(_bindings);
            _bindings.Clear();
            _exports.Clear();
            _perImporter.Clear();
            _imports.Clear();
            var context = _context;
            _context = null;
            _assembly = null;
            return (bindings, context);
        }
    }

    private void ThrowIfDestroyed()
    {
        if (IsDestroyed) throw new DomainException($"{Name}: destroyed");
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException or TypeInitializationException && e.InnerException is { } inner) e = inner;
        return e;
    }

    // Revokes everything a domain externalized into one table, once.
    private sealed class Revocation(ExternTable table, ProtectionDomain owner) : IDisposable
    {
        public void Dispose() => table.RevokeOwnedBy(owner);
    }
}
