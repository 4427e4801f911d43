namespace Spindle.Kernel.Extensions;

/// <summary>Where the standard extensions' sources are at run time.</summary>
public static class ExtensionSources
{
    /// <summary>Environment variable naming the folder that holds the standard extensions (Linux/, Schedulers/...).</summary>
    public const string Variable = "SPINDLE_EXTENSIONS";

    /// <summary>
    /// The source folder of standard extension <paramref name="name"/>: $SPINDLE_EXTENSIONS/NAME if the
    /// variable is set, else the first extensions/NAME in the running program's directory or above it
    /// (the build copies them beside the CLI; a build inside the repository also finds the repository's).
    /// Returns null and the reason in <paramref name="error"/> if there is none.
    /// </summary>
    public static string? Find(string name, out string? error)
    {
        error = null;
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root)
        {
            string folder = Path.Combine(root, name);
            if (Directory.Exists(folder)) return folder;
            error = $"{Variable}={root}: no {name} folder there";
            return null;
        }
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            string folder = Path.Combine(d.FullName, "extensions", name);
            if (Directory.Exists(folder)) return folder;
        }
        error = $"no extensions/{name} in or above {AppContext.BaseDirectory} (set {Variable})";
        return null;
    }
}
