using System.Diagnostics;
using System.Text;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Boot;

/// <summary>
/// The booted shell with interrupt-driven console input, through the real <c>spindle boot</c> with a pipe the
/// test types into: while a program blocks reading the console, its forked child keeps running (the CPU
/// thread is not stuck in a host read).
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

    // Reads the process's stdout on a background task into a buffer the test polls.
    private sealed class Output
    {
        private readonly StringBuilder _text = new();
        public Output(Process p) => Task.Run(() =>
        {
            var buf = new char[256];
            int n;
            while ((n = p.StandardOutput.Read(buf, 0, buf.Length)) > 0)
                lock (_text) _text.Append(buf, 0, n);
        });
        public string Text { get { lock (_text) return _text.ToString(); } }
    }

    private static void WaitFor(Output output, string text, Process machine)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!output.Text.Contains(text))
        {
            Assert.False(machine.HasExited, $"spindle boot exited before printing '{text}':\n{output.Text}");
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' never appeared:\n{output.Text}");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void AChildRunsWhileItsParentWaitsForConsoleInput()
    {
        string folder = RootWithProgram();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { SpindleRunner.Dll, "boot", "--root-folder", folder }) start.ArgumentList.Add(a);
        using var machine = Process.Start(start)!;
        var output = new Output(machine);
        var errors = machine.StandardError.ReadToEndAsync();
        try
        {
            machine.StandardInput.Write("bgread\n"); machine.StandardInput.Flush();
            WaitFor(output, "child ran\n", machine);              // the parent is blocked reading the console meanwhile
            Assert.DoesNotContain("parent read", output.Text);
            machine.StandardInput.Write("hello\n"); machine.StandardInput.Flush();
            WaitFor(output, "parent read hello\n", machine);
            machine.StandardInput.Write("exit 3\n"); machine.StandardInput.Flush();
            Assert.True(machine.WaitForExit(Patience), $"the shell did not exit:\n{output.Text}");
            machine.WaitForExit();
            Assert.True(3 == machine.ExitCode, $"exit {machine.ExitCode}; stderr:\n{errors.Result}");
            Assert.Equal("child ran\nparent read hello\n", output.Text);
        }
        finally
        {
            if (!machine.HasExited) machine.Kill(entireProcessTree: true);
            Directory.Delete(folder, recursive: true);
        }
    }
}
