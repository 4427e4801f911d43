namespace Spindle.Kernel.Compiler;

/// <summary>
/// The `spindle ext` command's logic, kept in the kernel so that tests can run it in-process:
/// <c>build PATH [-o OUT.dll]</c> and <c>verify PATH</c>. Exit codes: 0 accepted, 1 refused, 2 usage.
/// </summary>
public static class ExtTool
{
    public const string Usage =
        "usage: spindle ext build PATH [-o OUT.dll]   compile, check and sign an extension (.cs file or folder)\n" +
        "       spindle ext verify PATH               verify a signed .dll, or compile and check a .cs file or folder";

    /// <summary>Runs one `ext` subcommand; reasons go to <paramref name="err"/>, one per line.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter err, string spindleHome)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? err : stdout).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        return args[0] switch
        {
            "build" => Build(args[1..], stdout, err, spindleHome),
            "verify" when args.Length == 2 => Verify(args[1], stdout, err, spindleHome),
            _ => UsageError(err, $"spindle ext: bad arguments '{string.Join(' ', args)}'"),
        };
    }

    private static int Build(string[] args, TextWriter stdout, TextWriter err, string home)
    {
        string? path = null, output = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "-o" or "--output")
            {
                if (++i == args.Length) return UsageError(err, "spindle ext build: -o needs a file name");
                output = args[i];
            }
            else if (path is null && !args[i].StartsWith('-')) path = args[i];
            else return UsageError(err, $"spindle ext build: unexpected argument '{args[i]}'");
        }
        if (path is null) return UsageError(err, "spindle ext build: PATH is missing");
        var source = ExtensionSource.Load(path, out string? error);
        if (source is null) { err.WriteLine($"spindle ext build: {error}"); return 1; }

        var result = new ExtensionCompiler(home).Build(source);
        if (!result.Succeeded) return Refuse(err, result.Violations);
        output ??= source.Name + ".dll";
        try { File.WriteAllBytes(output, result.Assembly!); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            err.WriteLine($"spindle ext build: cannot write {output}: {e.Message}");
            return 1;
        }
        stdout.WriteLine($"{output}: signed extension, {result.Assembly!.Length} bytes{(result.FromCache ? " (from cache)" : "")}");
        return 0;
    }

    private static int Verify(string path, TextWriter stdout, TextWriter err, string home)
    {
        if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
        {
            byte[] image;
            try { image = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                err.WriteLine($"spindle ext verify: {path}: {e.Message}");
                return 1;
            }
            var compiler = new ExtensionCompiler(home);
            KernelKey key;
            try { key = compiler.Key; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                err.WriteLine($"spindle ext verify: cannot load the kernel key: {e.Message}");
                return 1;
            }
            var reasons = ExtensionVerifier.Verify(image, key, ExtensionPolicy.Default, path);
            if (reasons.Count > 0) return Refuse(err, reasons);
            stdout.WriteLine($"{path}: ok (signed by this kernel, policy holds)");
            return 0;
        }
        var source = ExtensionSource.Load(path, out string? error);
        if (source is null) { err.WriteLine($"spindle ext verify: {error}"); return 1; }
        var violations = new ExtensionCompiler(home).Check(source);
        if (violations.Count > 0) return Refuse(err, violations);
        stdout.WriteLine($"{path}: ok (compiles and breaks no rule)");
        return 0;
    }

    private static int Refuse(TextWriter err, IEnumerable<Violation> reasons)
    {
        foreach (var v in reasons) err.WriteLine(v);
        return 1;
    }

    private static int UsageError(TextWriter err, string message)
    {
        err.WriteLine(message);
        err.WriteLine(Usage);
        return 2;
    }
}
