namespace Spindle.System.Tests.Support;

/// <summary>Locates the repository checkout the tests were built from.</summary>
public static class Repo
{
    /// <summary>The directory holding Spindle.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The C differential corpus, user/tests.</summary>
    public static string UserTests => Path.Combine(Root, "user", "tests");

    /// <summary>The build cache for cross-compiled programs (ignored by git).</summary>
    public static string Cache => Path.Combine(Root, ".spindle-cache");

    // Walks up from the test assembly's directory; throws if no Spindle.sln is above it.
    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Spindle.sln"))) return d.FullName;
        throw new InvalidOperationException($"no Spindle.sln above {AppContext.BaseDirectory}");
    }
}
