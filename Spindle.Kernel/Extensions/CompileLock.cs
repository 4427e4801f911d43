namespace Spindle.Kernel.Extensions;

/// <summary>
/// An exclusive lock on a file, across processes (an advisory lock on Unix): kernels sharing a Spindle home
/// take it around a source build, so that of several started at once one runs the compiler and the others
/// find its image in the cache instead of compiling the same sources again.
/// </summary>
internal static class CompileLock
{
    /// <summary>How long a build waits for another process's build before compiling anyway.</summary>
    private const long WaitMilliseconds = 180_000;

    /// <summary>
    /// Takes the lock on <paramref name="path"/>, waiting while another process holds it. Returns null (no lock,
    /// the build goes ahead) if <paramref name="path"/> is null, cannot be created, or the wait times out.
    /// </summary>
    public static IDisposable? Acquire(string? path)
    {
        if (path is null) return null;
        long deadline = Environment.TickCount64 + WaitMilliseconds;
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 < deadline && File.Exists(path)) { Thread.Sleep(50); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        }
    }
}
