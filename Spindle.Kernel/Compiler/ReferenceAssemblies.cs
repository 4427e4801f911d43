using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// The metadata references an extension compiles against: the allowlisted base-library reference
/// assemblies from the .NET reference pack (<see cref="ExtensionPolicy.BaseLibraryAssemblies"/>, the list the
/// metadata policy admits and the load context resolves), and Spindle.Sdk. Nothing else is visible to Roslyn.
/// </summary>
internal static class ReferenceAssemblies
{
    private static readonly Lazy<(IReadOnlyList<MetadataReference>? Refs, string? Error)> s_refs = new(Load);

    /// <summary>Returns the references, or null and <paramref name="error"/> if the reference pack is missing.</summary>
    public static IReadOnlyList<MetadataReference>? Get(out string? error)
    {
        var (refs, err) = s_refs.Value;
        error = err;
        return refs;
    }

    /// <summary>The reference-pack folder in use, or null if none was found.</summary>
    public static string? RefPackDirectory => FindRefPack();

    private static (IReadOnlyList<MetadataReference>?, string?) Load()
    {
        string? dir = FindRefPack();
        if (dir is null)
            return (null, "the .NET reference pack (Microsoft.NETCore.App.Ref) was not found; install the .NET SDK or set SPINDLE_REFPACK");
        var refs = new List<MetadataReference>();
        foreach (var name in ExtensionPolicy.BaseLibraryAssemblies)
        {
            string path = Path.Combine(dir, name + ".dll");
            if (!File.Exists(path)) return (null, $"reference assembly {path} is missing");
            refs.Add(MetadataReference.CreateFromFile(path));
        }
        refs.Add(MetadataReference.CreateFromFile(ExtensionPolicy.SdkAssemblyPath));
        return (refs, null);
    }

    // Returns the ref/netX.Y folder matching the running runtime (same version, else newest of the same major).
    private static string? FindRefPack()
    {
        if (Environment.GetEnvironmentVariable("SPINDLE_REFPACK") is { Length: > 0 } over)
            return Directory.Exists(over) ? over : null;
        var runtimeDir = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/', '\\'));
        string version = runtimeDir.Name;                       // e.g. 10.0.12
        string? dotnetRoot = runtimeDir.Parent?.Parent?.Parent?.FullName;
        if (dotnetRoot is null) return null;
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs)) return null;
        var env = Environment.Version;
        string tfm = $"net{env.Major}.{env.Minor}";
        var candidates = Directory.GetDirectories(packs)
            .Select(d => (Dir: d, Ver: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(c => c.Ver is not null && c.Ver.Major == env.Major && Directory.Exists(Path.Combine(c.Dir, "ref", tfm)))
            .OrderByDescending(c => Path.GetFileName(c.Dir) == version).ThenByDescending(c => c.Ver)
            .ToList();
        return candidates.Count == 0 ? null : Path.Combine(candidates[0].Dir, "ref", tfm);
    }
}
