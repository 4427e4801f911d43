using System.Reflection;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// What an extension is granted: the Spindle.Sdk namespaces it may name. The base library it may
/// name is fixed (see <see cref="ApiRules"/>); Spindle.Sdk.Runtime is never grantable.
/// </summary>
public sealed class ExtensionPolicy
{
    /// <summary>
    /// The base-library assemblies an extension may reference (besides the SDK): the one list the compiler
    /// compiles against, the metadata policy admits and the domain's load context resolves. It holds the types
    /// the cost table prices; System.Linq and System.Runtime.Numerics are not in it (work the meter cannot see).
    /// </summary>
    public static readonly IReadOnlyList<string> BaseLibraryAssemblies =
        ["System.Runtime", "System.Collections", "System.Linq.Expressions", "System.Memory", "System.ObjectModel"];

    /// <summary>The name of the SDK assembly.</summary>
    public const string SdkAssembly = "Spindle.Sdk";

    /// <summary>The Spindle.Sdk namespaces this policy grants.</summary>
    public IReadOnlySet<string> SdkGrants { get; }

    /// <summary>Creates a policy granting exactly <paramref name="sdkNamespaces"/>; privileged ones are refused.</summary>
    /// <exception cref="ArgumentException">A privileged namespace was asked for.</exception>
    public ExtensionPolicy(IEnumerable<string> sdkNamespaces)
    {
        var set = new SortedSet<string>(sdkNamespaces, StringComparer.Ordinal);
        foreach (var ns in set)
            if (ApiRules.IsPrivileged(ns)) throw new ArgumentException($"{ns} is privileged and cannot be granted", nameof(sdkNamespaces));
        SdkGrants = set;
    }

    /// <summary>The default grant: every non-privileged namespace that Spindle.Sdk exports.</summary>
    public static ExtensionPolicy Default { get; } = new(
        typeof(Spindle.Sdk.Runtime.Meter).Assembly.GetExportedTypes()
            .Select(t => t.Namespace ?? "")
            .Where(ns => ns.Length > 0 && !ApiRules.IsPrivileged(ns))
            .Distinct());

    /// <summary>A stable text naming the rules and grants, folded into the compile-cache key.</summary>
    public string Fingerprint => $"rules-v{ApiRules.Version};grants={string.Join(',', SdkGrants)}";

    /// <summary>Path of the SDK assembly the kernel runs with (the one extensions compile against).</summary>
    internal static string SdkAssemblyPath => typeof(Spindle.Sdk.Runtime.Meter).Assembly.Location;

    /// <summary>The kernel build's identity, so that a rebuilt compiler or instrumenter invalidates caches: the
    /// kernel's module id and the version of the Roslyn it references, read from the kernel's own metadata so that a
    /// cache hit does not load Roslyn (start-up).</summary>
    internal static string KernelBuildId => typeof(ExtensionPolicy).Assembly.ManifestModule.ModuleVersionId.ToString()
        + "/" + typeof(ExtensionPolicy).Assembly.GetReferencedAssemblies()
            .FirstOrDefault(a => a.Name == "Microsoft.CodeAnalysis.CSharp")?.Version;
}
