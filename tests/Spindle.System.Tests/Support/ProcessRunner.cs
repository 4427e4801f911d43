using System.Diagnostics;

namespace Spindle.System.Tests.Support;

/// <summary>
/// Runs a host process with exact inputs: an argument vector (no shell), stdin bytes, an environment
/// that contains only the given variables, and a timeout after which the whole process tree is killed.
/// </summary>
public static class ProcessRunner
{
    /// <summary>The fixed environment every differential run gets, under qemu and under Spindle alike.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> FixedEnvironment =
    [
        new("PATH", "/bin"),
        new("LANG", "C"),
        new("SPINDLE_TEST", "1"),
    ];

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/>, feeding <paramref name="stdin"/> and then
    /// closing it. The child sees exactly <paramref name="environment"/>, or inherits ours when it is null, and
    /// starts in <paramref name="workingDirectory"/> (ours when null). Throws only if the file cannot be
    /// started at all (a missing tool), with the tool's name in the message.
    /// </summary>
    public static RunResult Run(string file, IEnumerable<string> args, byte[] stdin,
        IEnumerable<KeyValuePair<string, string>>? environment, TimeSpan timeout, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment != null)
        {
            psi.Environment.Clear();
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        }

        using var p = new Process { StartInfo = psi };
        try { p.Start(); }
        catch (global::System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start '{file}': {e.Message}", e);
        }

        // Drain both pipes concurrently so that a chatty child never blocks on a full pipe.
        var outTask = Task.Run(() => { using var ms = new MemoryStream(); p.StandardOutput.BaseStream.CopyTo(ms); return ms.ToArray(); });
        var errTask = p.StandardError.ReadToEndAsync();
        var inTask = Task.Run(() =>
        {
            try { p.StandardInput.BaseStream.Write(stdin); p.StandardInput.Close(); }
            catch (IOException) { } // the child exited without reading all of its input: fine
        });

        bool timedOut = !p.WaitForExit((int)timeout.TotalMilliseconds);
        if (timedOut)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
        }
        inTask.Wait();
        return new RunResult(outTask.Result, errTask.Result, p.ExitCode, timedOut);
    }
}
