using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Spindle.Machine.Tests.SoftFloat;

/// <summary>One oracle input line: instruction mnemonic, rounding mode and raw operand bits.</summary>
internal readonly record struct FpVector(string Op, int Rm, ulong A, ulong B, ulong C);

/// <summary>Register value and fflags produced for one vector.</summary>
internal readonly record struct FpResult(ulong Value, uint Flags);

/// <summary>
/// Runs vectors through real RISC-V F/D instructions: fpu_oracle.c compiled with riscv64-linux-gnu-gcc and
/// executed under qemu-riscv64. Throws InvalidOperationException with a clear message if a tool is missing.
/// </summary>
internal static class RiscvOracle
{
    private const string Gcc = "riscv64-linux-gnu-gcc", Qemu = "qemu-riscv64";
    private static readonly Lazy<string> Binary = new(Build);

    private static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    // Returns the full path of an executable on PATH, or throws naming the missing tool.
    internal static string Require(string tool)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string p = Path.Combine(dir, tool);
            if (File.Exists(p)) return p;
        }
        throw new InvalidOperationException($"{tool} is not on PATH; the SoftFloat oracle tests need it (install with scripts/deps.sh)");
    }

    // Compiles fpu_oracle.c into a fresh temporary directory; returns the binary's path.
    private static string Build()
    {
        string gcc = Require(Gcc);
        Require(Qemu);
        string src = Path.Combine(SourceDir(), "fpu_oracle.c");
        if (!File.Exists(src)) throw new InvalidOperationException($"oracle source missing: {src}");
        string dir = Directory.CreateTempSubdirectory("spindle-fpu-oracle-").FullName;
        string exe = Path.Combine(dir, "fpu_oracle");
        var (code, _, err) = Exec(gcc, ["-static", "-O2", "-o", exe, src], null);
        if (code != 0) throw new InvalidOperationException($"{Gcc} failed ({code}): {err}");
        return exe;
    }

    // Runs a process to completion, feeding stdin (if any) concurrently with reading stdout.
    private static (int Code, string Out, string Err) Exec(string file, string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> err = p.StandardError.ReadToEndAsync();
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        p.WaitForExit();
        return (p.ExitCode, output.Result, err.Result);
    }

    /// <summary>Runs all vectors in one qemu process; returns one result per vector, in order.</summary>
    public static FpResult[] Run(IReadOnlyList<FpVector> vectors)
    {
        string exe = Binary.Value;
        var input = new StringBuilder(vectors.Count * 48);
        foreach (var v in vectors) input.Append($"{v.Op} {v.Rm} {v.A:x} {v.B:x} {v.C:x}\n");
        var (code, output, err) = Exec(Require(Qemu), [exe], input.ToString());
        if (code != 0) throw new InvalidOperationException($"{Qemu} fpu_oracle exited with {code}: {err}");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != vectors.Count)
            throw new InvalidOperationException($"oracle answered {lines.Length} of {vectors.Count} vectors");
        var results = new FpResult[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            string[] f = lines[i].Split(' ');
            ulong flags = Convert.ToUInt64(f[1], 16);
            if (flags > 0x1f) throw new InvalidOperationException($"oracle does not know op '{vectors[i].Op}'");
            results[i] = new FpResult(Convert.ToUInt64(f[0], 16), (uint)flags);
        }
        return results;
    }
}
