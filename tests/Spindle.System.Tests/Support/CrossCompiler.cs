using System.Security.Cryptography;
using System.Text;

namespace Spindle.System.Tests.Support;

/// <summary>
/// Compiles C sources for the emulated machine with <c>riscv64-linux-gnu-gcc -static -O2</c>. Outputs are
/// cached under .spindle-cache/cc, keyed by a hash of the source text and the flags, so reruns are free.
/// </summary>
public static class CrossCompiler
{
    /// <summary>The cross compiler's command name.</summary>
    public const string Gcc = "riscv64-linux-gnu-gcc";

    /// <summary>Where the cross libc's dynamic loader and shared libraries live (libc6-riscv64-cross): the library prefix
    /// of dynamically linked programs (<c>-L</c>).</summary>
    public const string LibraryPrefix = "/usr/riscv64-linux-gnu";

    private static readonly object BuildLock = new();

    /// <summary>
    /// Compiles <paramref name="sourcePath"/> statically (unless <paramref name="dynamic"/>) and returns the
    /// path of the executable; <paramref name="forHost"/> builds it with the host's gcc instead (a native
    /// oracle). Throws with the compiler's diagnostics on a compile error, and with an install hint if the
    /// compiler is missing.
    /// </summary>
    public static string Compile(string sourcePath, IReadOnlyList<string>? extraFlags = null, bool dynamic = false, bool forHost = false)
    {
        string compiler = forHost ? "gcc" : Gcc;
        var flags = new List<string> { "-O2" };
        if (!dynamic) flags.Insert(0, "-static");
        flags.AddRange(extraFlags ?? []);

        var text = new StringBuilder(File.ReadAllText(sourcePath));
        foreach (string h in Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(sourcePath))!, "*.h").Order(StringComparer.Ordinal))
            text.Append('\0').Append(File.ReadAllText(h));
        string key = Hash(text.Append('\0').AppendJoin('\0', flags).Append('\0').Append(compiler).ToString());
        string dir = Path.Combine(Repo.Cache, "cc");
        string exe = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(sourcePath)}-{key}");
        lock (BuildLock)
        {
            if (File.Exists(exe)) return exe;
            string gcc = forHost ? Tools.Require(compiler, "gcc (the host compiler)") : Tools.Require(Gcc, "gcc-riscv64-linux-gnu and libc6-dev-riscv64-cross");
            Directory.CreateDirectory(dir);
            string tmp = exe + ".tmp";
            // Libraries (-l) must follow the source, so the source goes first.
            var args = new List<string> { sourcePath, "-o", tmp };
            args.AddRange(flags);
            var r = ProcessRunner.Run(gcc, args, [], environment: null, TimeSpan.FromMinutes(2));
            if (r.ExitCode != 0 || r.TimedOut)
                throw new InvalidOperationException($"{compiler} {string.Join(' ', args)} failed (exit {r.ExitCode}):\n{r.Stderr}");
            File.Move(tmp, exe, overwrite: true);
            return exe;
        }
    }

    // A short hex digest of s.
    private static string Hash(string s) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..16].ToLowerInvariant();
}
