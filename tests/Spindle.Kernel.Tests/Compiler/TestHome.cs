namespace Spindle.Kernel.Tests.Compiler;

/// <summary>A throwaway Spindle home directory (key and cache), deleted on dispose.</summary>
public sealed class TestHome : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "spindle-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    /// <summary>The repository's tests/corpus/extensions folder, found by walking up from the test binaries.</summary>
    public static string CorpusDir
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                string c = System.IO.Path.Combine(d.FullName, "tests", "corpus", "extensions");
                if (Directory.Exists(c)) return c;
            }
            throw new DirectoryNotFoundException("tests/corpus/extensions not found above " + AppContext.BaseDirectory);
        }
    }
}
