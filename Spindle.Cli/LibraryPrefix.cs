using Spindle.Kernel.Loader;

namespace Spindle.Cli;

/// <summary>
/// <c>spindle run -L PREFIX</c> (or <c>SPINDLE_LD_PREFIX</c>, as qemu-user's <c>-L</c> and <c>QEMU_LD_PREFIX</c>): where a
/// dynamically linked program's interpreter and libraries live. The rule, for the first program here and for every
/// path a program names afterwards (the personality's name space): an absolute path other than "/" that names an
/// existing file under PREFIX is that file; any other path is looked up as given. PREFIX is a host directory inside
/// <c>--root</c>, so that the programs see it too.
/// </summary>
internal static class LibraryPrefix
{
    /// <summary>The environment variable read when <c>-L</c> is not given.</summary>
    public const string Variable = "SPINDLE_LD_PREFIX";

    /// <summary>
    /// Reads the interpreter the ELF <paramref name="program"/> names in PT_INTERP, under <paramref name="prefix"/> (a host
    /// directory, or null) first, then under <paramref name="root"/>; a relative name is taken from the working directory.
    /// Returns true with null for a static program and for a file the loader will refuse for its own sake (it says why);
    /// false with <paramref name="error"/> and a shell's <paramref name="status"/> (127 missing, 126 unreadable) otherwise.
    /// </summary>
    public static bool TryReadInterpreter(byte[] program, string root, string? prefix, out byte[]? interpreter, out string? error, out int status)
    {
        interpreter = null;
        error = null;
        status = 0;
        string? path;
        try { path = ElfLoader.InterpreterOf(program); }
        catch (ElfException) { return true; }
        if (path == null) return true;
        string host = Locate(path, root, prefix);
        try
        {
            interpreter = File.ReadAllBytes(host);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            (error, status) = ($"interpreter {path}: No such file or directory{Hint(prefix)}", 127);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            (error, status) = ($"interpreter {path}: {(Directory.Exists(host) ? "Is a directory" : e.Message)}", 126);
        }
        return false;
    }

    // The host file for the guest path: the prefix's if the path is absolute and the file exists there, else the root's.
    private static string Locate(string path, string root, string? prefix)
    {
        if (path.Length == 0 || path[0] != '/') return Path.GetFullPath(path);
        string relative = path.TrimStart('/');
        if (prefix != null && relative.Length > 0 && Path.Exists(Path.Combine(prefix, relative))) return Path.Combine(prefix, relative);
        return Path.Combine(root, relative);
    }

    private static string Hint(string? prefix) =>
        prefix == null ? $" (give the directory holding it with -L PREFIX or {Variable}, as qemu-riscv64 -L)" : $" (nor under {prefix})";
}
