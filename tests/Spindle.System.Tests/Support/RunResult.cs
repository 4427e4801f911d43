using System.Text;

namespace Spindle.System.Tests.Support;

/// <summary>What one finished (or killed) process left behind.</summary>
/// <param name="Stdout">Every byte the process wrote to standard output.</param>
/// <param name="Stderr">Standard error, decoded as UTF-8.</param>
/// <param name="ExitCode">The exit status as the shell sees it (128+signal for a signalled child of a shell).</param>
/// <param name="TimedOut">True if the process was killed because it outran its timeout.</param>
public sealed record RunResult(byte[] Stdout, string Stderr, int ExitCode, bool TimedOut)
{
    /// <summary>Standard output decoded as UTF-8 (for messages; compare <see cref="Stdout"/> for exactness).</summary>
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    /// <summary>A short human summary for assertion messages.</summary>
    public string Describe(string who) =>
        $"{who}: exit {ExitCode}{(TimedOut ? " (TIMED OUT)" : "")}\n--- stderr ---\n{Tail(Stderr, 2000)}";

    // Returns the last max characters of s, marked when cut.
    private static string Tail(string s, int max) => s.Length <= max ? s : "...\n" + s[^max..];
}
