namespace Spindle.System.Tests.Support;

/// <summary>Finds the host tools the system tests depend on.</summary>
public static class Tools
{
    /// <summary>
    /// Returns the full path of <paramref name="tool"/> on our PATH. Throws a clear error naming
    /// <paramref name="package"/> if it is missing: such tests must fail, never pass silently.
    /// </summary>
    public static string Require(string tool, string package)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var d in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string f = Path.Combine(d, tool);
            if (File.Exists(f)) return f;
        }
        throw new InvalidOperationException(
            $"required tool '{tool}' is not installed (install {package}; scripts/deps.sh does this)");
    }
}
