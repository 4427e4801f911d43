namespace Spindle.Kernel.Compiler;

/// <summary>An extension's C# source: a name (the assembly name) and its files, in a stable order.</summary>
public sealed class ExtensionSource
{
    /// <summary>The assembly name the extension compiles to.</summary>
    public string Name { get; }

    /// <summary>The files: the path used in diagnostics, and the text.</summary>
    public IReadOnlyList<(string Path, string Text)> Files { get; }

    /// <summary>Creates a source from files given directly (sorted by path, ordinally).</summary>
    public ExtensionSource(string name, IEnumerable<(string Path, string Text)> files)
    {
        Name = AssemblyNameFor(name);
        Files = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Loads a .cs file, or every .cs file under a folder (bin/ and obj/ skipped). Returns null and
    /// the reason if the path does not exist or holds no C# source.
    /// </summary>
    public static ExtensionSource? Load(string path, out string? error)
    {
        error = null;
        try
        {
            if (File.Exists(path))
            {
                if (!path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) { error = $"{path}: not a .cs file"; return null; }
                return new ExtensionSource(Path.GetFileNameWithoutExtension(path), [(path, File.ReadAllText(path))]);
            }
            if (!Directory.Exists(path)) { error = $"{path}: no such file or directory"; return null; }
            var files = Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories)
                .Where(f => !InBuildOutput(Path.GetRelativePath(path, f)))
                .Select(f => (f, File.ReadAllText(f))).ToList();
            if (files.Count == 0) { error = $"{path}: no .cs files"; return null; }
            return new ExtensionSource(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))), files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{path}: {e.Message}";
            return null;
        }
    }

    private static bool InBuildOutput(string relative)
    {
        string first = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    // Keeps letters, digits, '.', '_' and '-' so that the name is a valid, stable assembly name.
    private static string AssemblyNameFor(string name)
    {
        var clean = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray()).Trim('.');
        return clean.Length == 0 ? "extension" : clean;
    }
}
