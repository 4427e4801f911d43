using System.Text;
using Spindle.Extensions.Linux;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Services;
using Spindle.Sdk.Io;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Boot;

/// <summary>
/// The booted shell with interrupt-driven console input, composed as <c>spindle boot</c> composes it but
/// with a console whose input the test types and whose output it reads: while a program blocks reading
/// the console, its forked child keeps running (the CPU thread is not stuck in a host read).
/// </summary>
public sealed class BackgroundConsoleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120); // a liveness bound, not a timing claim

    private const string Program = """
        #include <stdio.h>
        #include <unistd.h>
        #include <sys/wait.h>
        int main(void) {
            pid_t pid = fork();
            if (pid == 0) { usleep(50000); write(1, "child ran\n", 10); return 0; }
            char buf[64];
            ssize_t n = read(0, buf, sizeof buf - 1);
            buf[n < 0 ? 0 : n] = 0;
            printf("parent read %s", buf);
            fflush(stdout);
            waitpid(pid, 0, 0);
            return 0;
        }
        """;

    /// <summary>The machine's console: input typed by the test through a ConsoleInput, output kept.</summary>
    private sealed class TypedConsole(ConsoleInput input) : IConsole
    {
        private readonly StringBuilder _out = new();
        public string Output { get { lock (_out) return _out.ToString(); } }
        public long Read(Span<byte> buffer) => input.Read(buffer);
        public long TryRead(Span<byte> buffer) => input.TryRead(buffer);
        public bool InputAvailable => input.Available;
        public bool WatchInput(Action handler) => input.Watch(handler);
        public long Write(int stream, ReadOnlySpan<byte> buffer)
        {
            lock (_out) _out.Append(Encoding.UTF8.GetString(buffer));
            return buffer.Length;
        }
        public bool IsTerminal(int stream) => false;
        public int GetTerminalAttributes(int stream, Span<byte> termios) => -Errno.ENOTTY;
        public int GetWindowSize(int stream, Span<byte> winsize) => -Errno.ENOTTY;
        public int Stat(int stream, out FileStatus status) { status = new FileStatus { Mode = 0x1000 | 0x180 }; return 0; }
        public void Flush() { }
    }

    // A copy of the boot root with the test program as /bin/bgread.
    private static string RootWithProgram()
    {
        string src = Path.Combine(Directory.CreateTempSubdirectory("spindle-bg-").FullName, "bgread.c");
        File.WriteAllText(src, Program);
        string exe = CrossCompiler.Compile(src);
        string root = Directory.CreateTempSubdirectory("spindle-bgroot-").FullName;
        foreach (string dir in Directory.GetDirectories(BootRoot.Riscv, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(root, Path.GetRelativePath(BootRoot.Riscv, dir)));
        foreach (string file in Directory.GetFiles(BootRoot.Riscv, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(root, Path.GetRelativePath(BootRoot.Riscv, file)));
        File.Copy(exe, Path.Combine(root, "bin", "bgread"));
        return root;
    }

    private static void WaitFor(TypedConsole console, string text, Task machine)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!console.Output.Contains(text))
        {
            Assert.False(machine.IsCompleted, $"the machine stopped before printing '{text}':\n{console.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' never appeared:\n{console.Output}");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void AChildRunsWhileItsParentWaitsForConsoleInput()
    {
        string folder = RootWithProgram();
        var typed = new global::System.Collections.Concurrent.BlockingCollection<byte[]>();
        byte[] rest = [];
        var input = new ConsoleInput(buffer =>
        {
            if (rest.Length == 0 && !typed.TryTake(out rest!, Timeout.Infinite)) return 0;
            int n = Math.Min(buffer.Length, rest.Length);
            rest.AsSpan(0, n).CopyTo(buffer);
            rest = rest[n..];
            return n;
        });
        var console = new TypedConsole(input);

        using var kernel = new KernelRoot(new KernelOptions(256UL << 20, FirstStrandId: 1));
        var strand = kernel.StartProgram(File.ReadAllBytes(Path.Combine(folder, "sbin", "init")), "/sbin/init", ["/sbin/init"], [], out var image);
        input.Connect(kernel.Scheduler.Interrupt);
        var clock = new Spindle.Kernel.Services.HostClock();
        using var host = new HostFileSystem(folder);
        var root = new MemoryFs(clock);
        Assert.True(root.Populate(host) >= 0);
        var personality = new LinuxPersonality(new LinuxServices(host, console, clock, new HostEntropy()));
        personality.UseRoot(root);
        var owner = new KernelOwner("linux");
        personality.Attach(kernel.DispatcherFor(owner), kernel.Traps, kernel.StrandsFor(owner));
        var process = personality.CreateProcess(new ProcessIdentity(Pid: 1, ParentPid: 0, Uid: 0, Gid: 0), "/sbin/init", "/",
            image.BrkStart, image.MapBase, image.MapLimit);
        personality.AdoptStrand(strand, process);
        var machine = Task.Factory.StartNew(() => kernel.Run(() => process.HasExited), TaskCreationOptions.LongRunning);

        typed.Add("bgread\n"u8.ToArray());
        WaitFor(console, "child ran\n", machine);             // the parent is blocked reading the console meanwhile
        Assert.DoesNotContain("parent read", console.Output);
        typed.Add("hello\n"u8.ToArray());
        WaitFor(console, "parent read hello\n", machine);
        typed.Add("exit 3\n"u8.ToArray());
        Assert.True(machine.Wait(Patience), $"the shell did not exit:\n{console.Output}");
        Assert.True(process.HasExited);
        Assert.Equal(3, process.ExitCode);
        Assert.Equal("child ran\nparent read hello\n", console.Output);
        Directory.Delete(folder, recursive: true);
    }
}
