using Spindle.System.Tests.Differential;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Userland;

/// <summary>
/// Real programs from Debian's sources, cross-built static by scripts/userland.sh, under Spindle and under qemu-riscv64
/// in the same test: byte-identical standard output and error and the same exit status. Lua 5.4 runs the scripts of
/// user/lua (strings, tables, coroutines, closures, errors, math, the garbage collector; Debian's lua5.4 source has no
/// test suite of its own); zlib's minigzip compresses and decompresses 2 MiB.
/// </summary>
public sealed class DebianProgramsTests
{
    private static readonly string LuaScripts = Path.Combine(Repo.Root, "user", "lua");
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Every script of user/lua by name.</summary>
    public static TheoryData<string> Scripts =>
        new(Directory.GetFiles(LuaScripts, "*.lua").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void LuaRunsTheScriptAsUnderQemu(string script)
    {
        string lua = UserlandScript.Product("lua", "lua");
        var (qemu, spindle) = BothRun(lua, [Path.Combine(LuaScripts, script)], []);
        Assert.Equal(script == "errors.lua" ? 3 : 0, qemu.ExitCode);   // the script ran to its end (an uncaught error is 1)
    }

    /// <summary>minigzip (stdin to stdout) compresses 2 MiB of text, runs of zeros and seeded random bytes into the same
    /// bytes under both, and -d gives the input back under both.</summary>
    [Fact]
    public void MinigzipRoundTripsTwoMebibytes()
    {
        string minigzip = UserlandScript.Product("zlib", "minigzip");
        byte[] input = Input(2 << 20);
        var (qemuZipped, spindleZipped) = BothRun(minigzip, [], input);
        Assert.True(qemuZipped.Stdout.Length < input.Length / 2, $"compressed to {qemuZipped.Stdout.Length} bytes");
        var (qemuUnzipped, spindleUnzipped) = BothRun(minigzip, ["-d"], spindleZipped.Stdout);
        Assert.True(input.AsSpan().SequenceEqual(spindleUnzipped.Stdout), "minigzip -d under Spindle did not give the input back");
        Assert.True(input.AsSpan().SequenceEqual(qemuUnzipped.Stdout), "minigzip -d under qemu did not give the input back");
    }

    // Runs exe under qemu and Spindle with the same arguments and input; asserts identical stdout, stderr and status.
    private static (RunResult Qemu, RunResult Spindle) BothRun(string exe, IReadOnlyList<string> args, byte[] stdin)
    {
        var qemu = QemuRunner.Instance.Run(exe, args, stdin, Timeout);
        Assert.False(qemu.TimedOut, qemu.Describe("qemu"));
        var spindle = SpindleRunner.Instance.Run(exe, args, stdin, Timeout);
        Assert.False(spindle.TimedOut, spindle.Describe("spindle"));
        string? diff = OutputDiff.FirstDifference(qemu.Stdout, spindle.Stdout);
        Assert.True(diff == null, $"{Path.GetFileName(exe)} {string.Join(' ', args)}: {diff}\n{spindle.Describe("spindle")}");
        Assert.Equal(qemu.Stderr, spindle.Stderr);
        Assert.True(qemu.ExitCode == spindle.ExitCode, $"exit status qemu {qemu.ExitCode}, spindle {spindle.ExitCode}\n{spindle.Describe("spindle")}");
        return (qemu, spindle);
    }

    // n bytes: numbered text lines, runs of zeros and seeded random bytes, in blocks, so that deflate meets all three.
    private static byte[] Input(int n)
    {
        var bytes = new byte[n];
        var rng = new Random(13);
        int at = 0, block = 0;
        while (at < n)
        {
            int len = Math.Min(n - at, 4096 + rng.Next(8192));
            Span<byte> part = bytes.AsSpan(at, len);
            switch (block++ % 3)
            {
                case 0:
                    byte[] text = global::System.Text.Encoding.ASCII.GetBytes(string.Concat(
                        Enumerable.Range(block * 100, len / 20 + 1).Select(i => $"line {i}: the quick brown fox\n")));
                    text.AsSpan(0, len).CopyTo(part);
                    break;
                case 1: break;   // zeros
                default: rng.NextBytes(part); break;
            }
            at += len;
        }
        return bytes;
    }
}
