using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Run;

/// <summary>Every command answers <c>--help</c> (and <c>-h</c>) on standard output with its usage, exit status 0, and runs nothing.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("run", "-L PREFIX", "-g PORT", "--net-ext", "--framebuffer")]
    [InlineData("boot", "--root-folder", "--disk", "--net", "--framebuffer-png")]
    [InlineData("ext", "build", "verify")]
    [InlineData("bench", "--quick", "--json")]
    public void EveryCommandAnswersHelpWithItsUsage(string command, params string[] options)
    {
        foreach (string flag in new[] { "--help", "-h" })
        {
            var r = SpindleRunner.RunCli([command, flag]);
            Assert.True(r.ExitCode == 0, r.Describe($"spindle {command} {flag}"));
            Assert.StartsWith($"usage: spindle {command}", r.StdoutText);
            foreach (string option in options) Assert.Contains(option, r.StdoutText);
        }
    }

    [Fact]
    public void HelpAfterTheProgramBelongsToTheProgram()
    {
        var r = SpindleRunner.RunCli(["run", "/nonexistent/program", "--help"]);
        Assert.Equal(127, r.ExitCode);
        Assert.DoesNotContain("usage:", r.StdoutText);
    }
}
