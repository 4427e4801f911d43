namespace Spindle.Kernel.Tests.Extensions;

/// <summary>Paths in the repository, found by walking up from the test binaries to Spindle.sln.</summary>
internal static class Repo
{
    /// <summary>The repository root.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Spindle.sln"))) return dir.FullName;
            throw new InvalidOperationException($"no Spindle.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>A path under the repository root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
