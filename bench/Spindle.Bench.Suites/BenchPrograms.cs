using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Spindle.Bench.Suites;

/// <summary>
/// The bench's C programs, embedded in this assembly: the host peers (bench/host, with benchtime.h), which also run
/// on Spindle for the Unix-way rows, and Spindle's own programs (user/bench, with user/include/spindle.h and the
/// example extensions they load). Compiled with the host's gcc for the host peers and with the cross compiler for Spindle, cached under <c>CACHE/bench</c> by a hash of the sources and
/// flags; run natively (a real host process) or on Spindle's kernel in this process (<see cref="GuestRunner"/>).
/// </summary>
public sealed class BenchPrograms(string cacheDirectory)
{
    private const string HostGcc = "gcc", CrossGcc = "riscv64-linux-gnu-gcc";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>Runs <paramref name="program"/> (e.g. "pthreads.c") natively with <paramref name="args"/>.</summary>
    public ProgramOutput RunHost(string program, params string[] args)
    {
        if (!TryCompile(HostGcc, program, out string? exe, out string? why)) return ProgramOutput.Failed(why!);
        var psi = new ProcessStartInfo(exe!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(Limit))
        {
            p.Kill(entireProcessTree: true);
            return ProgramOutput.Failed($"host {program} did not finish in {Limit.TotalMinutes} minutes");
        }
        return ProgramOutput.Parse(stdout, stderr.Result, p.ExitCode);
    }

    /// <summary>Runs <paramref name="program"/> cross-compiled on Spindle's kernel, in this process.</summary>
    public ProgramOutput RunSpindle(string program, params string[] args) =>
        TryCompile(CrossGcc, program, out string? exe, out string? why) ? GuestRunner.Run(exe!, args) : ProgramOutput.Failed(why!);

    /// <summary>The path of <paramref name="program"/> cross-compiled for Spindle (for callers that run it on a kernel of their own);
    /// throws <see cref="InvalidOperationException"/> with the reason if the compiler is missing or fails.</summary>
    public string CompileForSpindle(string program) =>
        TryCompile(CrossGcc, program, out string? exe, out string? why) ? exe! : throw new InvalidOperationException(why);

    /// <summary>
    /// Runs <paramref name="program"/> on Spindle with the program-facing extension calls installed, passing the
    /// path of the embedded extension source <paramref name="extension"/> (e.g. "PageProtect.cs") as its first argument.
    /// </summary>
    public ProgramOutput RunSpindleLoading(string program, string extension, params string[] args)
    {
        if (!TryCompile(CrossGcc, program, out string? exe, out string? why)) return ProgramOutput.Failed(why!);
        string dir = Path.Combine(cacheDirectory, "extensions");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, extension);
        string source = Resource(extension);
        if (!File.Exists(path) || File.ReadAllText(path) != source) File.WriteAllText(path, source);
        return GuestRunner.Run(exe!, [path, .. args], extensionCalls: true);
    }

    // Compiles the embedded program with COMPILER (-O2, static for the cross compiler); false with the reason
    // if the compiler is missing or fails.
    private bool TryCompile(string compiler, string program, out string? exe, out string? why)
    {
        exe = why = null;
        string source = Resource(program), header = Resource("benchtime.h"), spindle = Resource("spindle.h");
        string[] library = LibraryOf(program).Select(Resource).ToArray();
        string[] flags = compiler == CrossGcc ? ["-static", "-O2", "-pthread"] : ["-O2", "-pthread"];
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\0', [compiler, source, header, spindle, .. library, .. flags]))))[..16].ToLowerInvariant();
        string dir = Path.Combine(cacheDirectory, compiler == CrossGcc ? "riscv64" : "host");
        exe = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(program)}-{key}");
        if (File.Exists(exe)) return true;
        string work = Path.Combine(dir, $"src-{key}-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            File.WriteAllText(Path.Combine(work, program), source);
            File.WriteAllText(Path.Combine(work, "benchtime.h"), header);
            File.WriteAllText(Path.Combine(work, "spindle.h"), spindle);
            var linked = new List<string>();
            foreach (string name in LibraryOf(program))
            {
                string file = Path.Combine(work, name);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, Resource(name));
                if (name.EndsWith(".c", StringComparison.Ordinal)) linked.Add(file);
            }
            string[] includes = linked.Count > 0 ? ["-I", Path.Combine(work, "lib"), "-I", work] : [];
            var psi = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in (string[])[.. includes, Path.Combine(work, program), .. linked, "-o", exe + ".tmp", .. flags]) psi.ArgumentList.Add(a);
            Process p;
            try { p = Process.Start(psi)!; }
            catch (System.ComponentModel.Win32Exception)
            {
                why = $"{compiler} is not installed (scripts/deps.sh installs it)";
                return false;
            }
            using (p)
            {
                var err = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0) { why = $"{compiler} failed on {program}: {err.Result.Trim()}"; return false; }
            }
            File.Move(exe + ".tmp", exe, overwrite: true);
            return true;
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    // The embedded library files (under lib/) a program is compiled with: user/lib's C-Threads for cthreads.c.
    private static string[] LibraryOf(string program) => program == "cthreads.c" ? ["lib/cthreads.h", "lib/cthreads.c"] : [];

    // The text of an embedded C source, header or extension source.
    private static string Resource(string name)
    {
        using var s = typeof(BenchPrograms).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"bench program {name} is not embedded");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
