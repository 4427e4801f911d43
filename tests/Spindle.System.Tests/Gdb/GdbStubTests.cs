using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Gdb;

/// <summary>
/// The gdb stub (<c>spindle run -g PORT</c>) driven by the real gdb-multiarch in batch mode, with the same session
/// run against qemu-riscv64's own stub (<c>qemu-riscv64 -g PORT</c>) as the peer: breakpoints, registers
/// (integer, pc, fcsr), memory read and write, finish, single steps, threads, continue to exit, kill.
/// All traffic is on 127.0.0.1.
/// </summary>
public sealed partial class GdbStubTests
{
    private static readonly string Program = CrossCompiler.Compile(Path.Combine(Repo.Root, "tests/Spindle.System.Tests/Gdb/programs/gdb_target.c"),
        ["-g", "-O1", "-pthread"]);

    // Breaks in a function, reads its arguments, the pc and a double, writes a global, finishes, continues to exit.
    private const string BreakWriteFinish = """
        break add
        continue
        print a
        print b
        info registers pc
        set var counter = 100
        print scale
        finish
        delete
        continue
        """;

    // Breaks in the second thread, lists threads, steps twice, reads fcsr, switches threads, kills.
    private const string ThreadsStepKill = """
        break worker
        continue
        info threads
        print *(long *)arg
        stepi
        stepi
        info registers fcsr
        thread 1
        thread 2
        print counter
        kill
        """;

    [Fact]
    public void ABreakpointArgumentsAWrittenGlobalAndTheExitAreWhatQemuShows()
    {
        var (spindle, spindleRun) = Session("spindle", BreakWriteFinish);
        var (qemu, qemuRun) = Session("qemu", BreakWriteFinish);
        Assert.Contains("Breakpoint 1, add (a=a@entry=2, b=b@entry=3)", spindle);
        Assert.Contains("$1 = 2", spindle);
        Assert.Contains("$3 = 1.5", spindle);
        Assert.Contains("Value returned is $4 = 105", spindle);
        Assert.Contains("exited with code 0151", spindle);
        Assert.Equal(Normalize(qemu), Normalize(spindle));
        Assert.Equal("add=105\nthread=112 counter=100\n", spindleRun.StdoutText);
        Assert.Equal(qemuRun.StdoutText, spindleRun.StdoutText);
        Assert.Equal(105, spindleRun.ExitCode);
    }

    [Fact]
    public void AThreadsBreakpointStepsAndKillAreWhatQemuShows()
    {
        var (spindle, spindleRun) = Session("spindle", ThreadsStepKill);
        var (qemu, _) = Session("qemu", ThreadsStepKill);
        Assert.Matches(@"Thread 2 hit Breakpoint 1, worker", spindle);
        Assert.Matches(@"\* 2 +Thread \d+ +worker", spindle);
        Assert.Contains("$1 = 10", spindle);
        Assert.Contains("$2 = 7", spindle);
        Assert.Matches(@"fcsr +0x0", spindle);
        Assert.Contains("killed]", spindle);
        Assert.Equal(StepLines(qemu), StepLines(spindle));
        Assert.Equal(2, StepLines(spindle).Count);
        Assert.Equal(128 + 9, spindleRun.ExitCode);
    }

    [Fact]
    public void AGdbThatGoesAwayLetsTheProgramRunOn()
    {
        int port = FreePort();
        var run = Task.Run(() => SpindleRunner.RunCli(["run", "-g", port.ToString(), Program], timeout: TimeSpan.FromSeconds(120)));
        WaitForListener(port, run);
        using (var client = new TcpClient())
        {
            client.Connect(IPAddress.Loopback, port);
            client.GetStream().Write("$?#3f"u8);
            Assert.Equal((byte)'+', (byte)client.GetStream().ReadByte());
        }
        var result = run.Result;
        Assert.Equal("add=12\nthread=19 counter=7\n", result.StdoutText);
        Assert.Equal(12, result.ExitCode);
    }

    [Fact]
    public void TwoThousandSeededGarbagePacketsAreEachAnsweredAndTheKernelRunsOn()
    {
        int port = FreePort();
        var run = Task.Run(() => SpindleRunner.RunCli(["run", "-g", port.ToString(), Program], timeout: TimeSpan.FromSeconds(120)));
        WaitForListener(port, run);
        var random = new Random(20261203);
        using (var client = new TcpClient())
        {
            client.Connect(IPAddress.Loopback, port);
            var stream = client.GetStream();
            Send(stream, "QStartNoAckMode");
            Assert.Equal("OK", Reply(stream));
            for (int i = 0; i < 2000; i++)
            {
                string packet = GarbagePacket(random);
                Send(stream, packet);
                Assert.NotNull(Reply(stream));      // every packet gets an answer (maybe empty or Exx)
            }
            Send(stream, "D");
            Assert.Equal("OK", Reply(stream));
        }
        var result = run.Result;
        Assert.False(result.TimedOut);
        Assert.DoesNotContain("internal error", result.Stderr);
        Assert.Equal("add=12\nthread=19 counter=7\n", result.StdoutText);
    }

    // A packet gdb could send, with hostile arguments: wild addresses and lengths, bad hex, unknown registers and
    // threads. None may resume, detach, or change what the program computes (writes go to unmapped addresses).
    private static string GarbagePacket(Random r)
    {
        string Num() => r.Next(4) switch { 0 => r.NextInt64().ToString("x"), 1 => "ffffffffffffffff1", 2 => "zz", _ => r.Next(0x40).ToString("x") };
        string Junk() => new(Enumerable.Range(0, r.Next(40)).Select(_ => (char)r.Next(0x20, 0x7f)).Where(c => c is not ('$' or '#' or '}' or '*')).ToArray());
        return r.Next(14) switch
        {
            0 => $"m{Num()},{Num()}",
            1 => $"M{(ulong)r.NextInt64() | 1UL << 63:x},{r.Next(8):x}:{Junk()}",
            2 => $"p{Num()}",
            3 => $"P{Num()}={r.Next(0x1000):x}",                  // never a whole register: the program must run on
            4 => $"Z{r.Next(5)},{(ulong)r.NextInt64() | 1UL << 63:x},{Num()}",
            5 => $"z{r.Next(5)},{Num()},{Num()}",
            6 => $"qXfer:features:read:target.xml:{Num()},{Num()}",
            7 => $"H{(r.Next(2) == 0 ? 'g' : 'c')}{Num()}",
            8 => $"vCont;x{Junk()}",
            9 => $"T{Num()}",
            10 => $"G{Junk()}",
            11 => $"qXfer:threads:read::{Num()},{Num()}",
            12 => "g",
            _ => Junk() is { Length: > 0 } j && j[0] is not ('c' or 'C' or 's' or 'S' or 'D' or 'k' or 'v' or 'M' or 'G' or 'P' or 'Z' or 'z') ? j : "?",
        };
    }

    private static void Send(NetworkStream stream, string data)
    {
        byte sum = 0;
        foreach (char c in data) sum += (byte)c;
        stream.Write(global::System.Text.Encoding.Latin1.GetBytes($"${data}#{sum:x2}"));
    }

    // The next packet's data (acknowledgements before it skipped).
    private static string? Reply(NetworkStream stream)
    {
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '$') { }
        if (b < 0) return null;
        var sb = new global::System.Text.StringBuilder();
        while ((b = stream.ReadByte()) >= 0 && b != '#') sb.Append((char)b);
        stream.ReadByte();
        stream.ReadByte();
        return b < 0 ? null : sb.ToString();
    }

    // Runs the program under the named stub and the script through gdb-multiarch; gdb's output and the program's run.
    private static (string Gdb, RunResult Run) Session(string target, string script)
    {
        string gdb = Tools.Require("gdb-multiarch", "gdb-multiarch");
        int port = FreePort();
        Task<RunResult> run = target == "qemu"
            ? Task.Run(() => ProcessRunner.Run(Tools.Require("qemu-riscv64", "qemu-user"), ["-g", port.ToString(), Program], [], ProcessRunner.FixedEnvironment, TimeSpan.FromSeconds(120)))
            : Task.Run(() => SpindleRunner.RunCli(["run", "-g", port.ToString(), Program], timeout: TimeSpan.FromSeconds(120)));
        string commands = Path.Combine(Path.GetTempPath(), $"spindle-gdb-{Guid.NewGuid():N}.cmd");
        // gdb retries a refused connection until the timeout, so it waits for the stub to listen.
        File.WriteAllText(commands, $"set confirm off\nset pagination off\nset tcp connect-timeout 120\ntarget remote 127.0.0.1:{port}\n{script}\n");
        try
        {
            var session = ProcessRunner.Run(gdb, ["-batch", "-nx", "-x", commands, Program], [], null, TimeSpan.FromSeconds(150));
            Assert.True(run.Wait(TimeSpan.FromSeconds(150)), $"{target} did not end after the gdb session:\n{session.StdoutText}{session.Stderr}");
            return (session.StdoutText + session.Stderr, run.Result);
        }
        finally { File.Delete(commands); }
    }

    // gdb's lines with what legitimately differs between two stubs (thread ids, stack addresses, qemu's
    // multiprocess "process 1") taken out.
    private static string Normalize(string gdb) =>
        ThreadIds().Replace(gdb.Replace("(process 1)", "(Remote target)"), "Thread N");

    // The two stepi lines: the pc after each step, the same instructions under both stubs.
    private static List<string> StepLines(string gdb) =>
        gdb.Split('\n').Where(l => StepLine().IsMatch(l)).ToList();

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    // Waits until something listens on the port (read from /proc/net/tcp, so that no probe takes the stub's one connection).
    private static void WaitForListener(int port, Task running)
    {
        string hex = $":{port:X4} ";
        for (int i = 0; i < 1200 && !running.IsCompleted; i++)
        {
            if (File.ReadLines("/proc/net/tcp").Any(l => l.Contains(hex) && l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3] == "0A")) return;
            Thread.Sleep(100);
        }
        Assert.Fail($"nothing listened on 127.0.0.1:{port}");
    }

    [GeneratedRegex(@"Thread [0-9.]+")]
    private static partial Regex ThreadIds();

    [GeneratedRegex(@"^0x[0-9a-f]+\s+15\s+\{")]
    private static partial Regex StepLine();
}
