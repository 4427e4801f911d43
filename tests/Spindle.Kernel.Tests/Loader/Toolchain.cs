using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Spindle.Kernel.Tests.Loader;

/// <summary>
/// Cross-compiles small C programs for the loader tests with riscv64-linux-gnu-gcc, caching the result
/// by a hash of source and flags. A missing tool fails the test with a message naming scripts/deps.sh.
/// </summary>
public static class Toolchain
{
    public const string Gcc = "riscv64-linux-gnu-gcc";
    public const string ReadElf = "riscv64-linux-gnu-readelf";
    private static readonly string s_cache = Path.Combine(Path.GetTempPath(), "spindle-loader-tests");

    /// <summary>A C program with initialized data, a large bss and a read-only table: glibc, static.</summary>
    public const string HelloSource = """
        #include <stdio.h>
        int initialized[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
        char bss[100000];
        static const char message[] = "hello from the loader test";
        int main(int argc, char **argv) { bss[argc] = 1; printf("%s %d\n", message, initialized[argc & 3]); return 0; }
        """;

    /// <summary>A freestanding program (no libc): builds as static-pie (ET_DYN without PT_INTERP) without rcrt1.o.</summary>
    public const string FreestandingSource = """
        static char msg[] = "hi\n"; int counter = 3; char zeros[9000];
        void _start(void) {
            register long a0 asm("a0") = 1; register long a1 asm("a1") = (long)msg;
            register long a2 asm("a2") = 3; register long a7 asm("a7") = 64;
            asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7));
            a0 = zeros[100] + counter - 3; a7 = 93;
            asm volatile("ecall" :: "r"(a0), "r"(a7));
            for (;;) ;
        }
        """;

    /// <summary>glibc, -static -O2: ET_EXEC.</summary>
    public static string StaticHello => Compile(HelloSource, "-static", "-O2");
    /// <summary>No libc, -static-pie: ET_DYN without PT_INTERP.</summary>
    public static string StaticPieFreestanding => Compile(FreestandingSource,
        "-static-pie", "-fPIE", "-nostdlib", "-nostartfiles", "-Wl,--no-dynamic-linker", "-O2");
    /// <summary>No libc, -static: ET_EXEC, a few KiB.</summary>
    public static string StaticFreestanding => Compile(FreestandingSource, "-static", "-nostdlib", "-O2");
    /// <summary>glibc, dynamically linked: has PT_INTERP (a PIE, ET_DYN).</summary>
    public static string DynamicHello => Compile(HelloSource, "-O2");
    /// <summary>glibc, dynamically linked, not position-independent: ET_EXEC with PT_INTERP.</summary>
    public static string DynamicHelloNoPie => Compile(HelloSource, "-O2", "-no-pie");
    /// <summary>The cross libc's dynamic loader, the interpreter the dynamic programs name (libc6-dev-riscv64-cross).</summary>
    public const string DynamicLoader = "/usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1";

    /// <summary>Path of the compiled program (compiled once per source and flags).</summary>
    public static string Compile(string source, params string[] flags)
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\0" + string.Join(' ', flags))))[..16];
        string dir = Path.Combine(s_cache, key), exe = Path.Combine(dir, "prog");
        if (File.Exists(exe)) return exe;
        Directory.CreateDirectory(dir);
        string src = Path.Combine(dir, $"prog-{Environment.ProcessId}-{Guid.NewGuid():N}.c");
        string tmp = src[..^2];
        File.WriteAllText(src, source);
        (int rc, string output) = Run(Gcc, [.. flags, "-o", tmp, src]);
        if (rc != 0) throw new InvalidOperationException($"{Gcc} failed ({rc}):\n{output}");
        File.Move(tmp, exe, overwrite: true);
        return exe;
    }

    /// <summary>Runs a tool; a missing tool is a clear failure, never a silent pass.</summary>
    public static (int ExitCode, string Output) Run(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed ({e.Message}); run scripts/deps.sh", e);
        }
        using (p)
        {
            Task<string> err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output + err.Result);
        }
    }

    /// <summary>The PT_LOAD headers as riscv64-linux-gnu-readelf reports them: an oracle independent of the loader.</summary>
    public static List<(ulong Offset, ulong Vaddr, ulong FileSize, ulong MemSize, string Flags)> LoadSegments(string path)
    {
        (int rc, string output) = Run(ReadElf, ["-lW", path]);
        if (rc != 0) throw new InvalidOperationException($"{ReadElf} failed: {output}");
        var result = new List<(ulong, ulong, ulong, ulong, string)>();
        foreach (string line in output.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 7 || f[0] != "LOAD") continue;
            string flags = string.Join("", f[6..^1]);   // "R E" is split in two
            result.Add((Hex(f[1]), Hex(f[2]), Hex(f[4]), Hex(f[5]), flags));
        }
        return result;
    }

    /// <summary>e_entry, e_phoff and e_phnum as readelf reports them.</summary>
    public static (ulong Entry, ulong PhOff, int PhNum) Header(string path)
    {
        (int rc, string output) = Run(ReadElf, ["-hW", path]);
        if (rc != 0) throw new InvalidOperationException($"{ReadElf} failed: {output}");
        string Field(string name) => output.Split('\n').Single(l => l.TrimStart().StartsWith(name)).Split(':')[1].Trim();
        return (Hex(Field("Entry point address")), ulong.Parse(Field("Start of program headers").Split(' ')[0]),
            int.Parse(Field("Number of program headers")));
    }

    /// <summary>Address of a symbol as riscv64-linux-gnu-nm reports it.</summary>
    public static ulong Symbol(string path, string name)
    {
        (int rc, string output) = Run("riscv64-linux-gnu-nm", [path]);
        if (rc != 0) throw new InvalidOperationException($"nm failed: {output}");
        return Hex(output.Split('\n').Select(l => l.Split(' ')).Single(f => f.Length == 3 && f[2] == name)[0]);
    }

    private static ulong Hex(string s) => Convert.ToUInt64(s, 16);
}
