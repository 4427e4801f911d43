namespace Spindle.System.Tests.Support;

/// <summary>Checks the harness itself against qemu, so that a broken harness cannot hide a broken Spindle.</summary>
public class SupportTests
{
    private static string WriteSource(string name, string text)
    {
        string dir = Path.Combine(Repo.Cache, "src");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void QemuRunnerPassesArgsStdinEnvironmentAndExitStatus()
    {
        string src = WriteSource("support_echo.c", """
            #include <stdio.h>
            #include <stdlib.h>
            int main(int argc, char **argv) {
                int c, sum = 0;
                while ((c = getchar()) != EOF) sum += c;
                printf("%d %s %s %d %s\n", argc, argv[1], getenv("LANG"), sum, getenv("HOME") ? "home" : "nohome");
                return 7;
            }
            """);
        string exe = CrossCompiler.Compile(src);
        var r = QemuRunner.Instance.Run(exe, ["hello"], "AB"u8.ToArray());
        Assert.False(r.TimedOut);
        Assert.Equal("2 hello C 131 nohome\n", r.StdoutText);
        Assert.Equal(7, r.ExitCode);
    }

    [Fact]
    public void CompileErrorIsReportedWithDiagnostics()
    {
        string src = WriteSource("support_broken.c", "int main(void) { return undeclared_thing; }\n");
        var e = Assert.Throws<InvalidOperationException>(() => CrossCompiler.Compile(src));
        Assert.Contains("undeclared_thing", e.Message);
    }

    [Fact]
    public void TimeoutKillsTheProgram()
    {
        string src = WriteSource("support_spin.c", "int main(void) { for (;;) { __asm__ volatile(\"\"); } }\n");
        string exe = CrossCompiler.Compile(src);
        var r = QemuRunner.Instance.Run(exe, [], timeout: TimeSpan.FromMilliseconds(500));
        Assert.True(r.TimedOut);
    }

    [Fact]
    public void MissingToolGivesAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tools.Require("no-such-tool-xyz", "nothing"));
        Assert.Contains("no-such-tool-xyz", e.Message);
        Assert.Contains("is not installed", e.Message);
    }
}
