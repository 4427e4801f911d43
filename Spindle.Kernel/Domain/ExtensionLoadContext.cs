using System.Reflection;
using System.Runtime.Loader;
using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Domain;

/// <summary>
/// The collectible load context of one extension domain. It resolves only what the domain was
/// granted: Spindle.Sdk (from the default context, so SDK types are shared with the kernel), the
/// vetted base-library assemblies, and the assemblies of domains it was resolved against.
/// Any other name is refused, so extension code cannot reach the kernel's own assemblies.
/// </summary>
internal sealed class ExtensionLoadContext : AssemblyLoadContext
{
    // What a vetted image may name besides the policy's list: the core library the reference assemblies forward
    // to, and the facades that forward to it.
    private static readonly string[] RuntimeFacades = ["System.Private.CoreLib", "netstandard", "mscorlib"];

    /// <summary>
    /// Base-library assemblies this context resolves: <see cref="ExtensionPolicy.BaseLibraryAssemblies"/> (what the
    /// compiler's policy vets members of) and the runtime facades behind them.
    /// </summary>
    public static readonly IReadOnlySet<string> BaseLibrary =
        new HashSet<string>(ExtensionPolicy.BaseLibraryAssemblies.Concat(RuntimeFacades), StringComparer.OrdinalIgnoreCase);

    private static readonly Assembly Sdk = typeof(Spindle.Sdk.IExtension).Assembly;

    private readonly object _lock = new();
    private readonly Dictionary<string, Assembly> _linked = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates an empty context for the domain called <paramref name="domain"/>.</summary>
    public ExtensionLoadContext(string domain) : base($"extension:{domain}", isCollectible: true) { }

    /// <summary>Makes <paramref name="assembly"/> (another domain's code) resolvable by name from this context.</summary>
    public void Link(Assembly assembly)
    {
        lock (_lock) _linked[assembly.GetName().Name!] = assembly;
    }

    /// <summary>Forgets every linked assembly (on destroy), so this context no longer keeps them alive.</summary>
    public void UnlinkAll()
    {
        lock (_lock) _linked.Clear();
    }

    /// <summary>True if a reference to <paramref name="name"/> would resolve.</summary>
    public bool CanResolve(AssemblyName name)
    {
        if (name.Name is null) return false;
        if (name.Name == Sdk.GetName().Name || BaseLibrary.Contains(name.Name)) return true;
        lock (_lock) return _linked.ContainsKey(name.Name);
    }

    /// <summary>Resolves a granted name; throws <see cref="FileNotFoundException"/> for anything else.</summary>
    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name == Sdk.GetName().Name) return Sdk;
        if (name.Name is not null && BaseLibrary.Contains(name.Name)) return Default.LoadFromAssemblyName(name);
        lock (_lock)
            if (name.Name is not null && _linked.TryGetValue(name.Name, out var linked)) return linked;
        throw new FileNotFoundException($"assembly '{name.Name}' is not granted to {Name}");
    }

    /// <summary>Native libraries are never granted.</summary>
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        throw new DllNotFoundException($"native library '{unmanagedDllName}' is not granted to {Name}");
}
