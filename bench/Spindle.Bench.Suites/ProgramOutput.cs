using System.Globalization;

namespace Spindle.Bench.Suites;

/// <summary>
/// What a bench C program reported: lines "ROW NANOSECONDS-PER-OP", one per repetition, reduced to the median
/// in microseconds per row; or why it did not run (<see cref="Failure"/>).
/// </summary>
public sealed class ProgramOutput
{
    private readonly Dictionary<string, List<double>> _samples = new(StringComparer.Ordinal);

    /// <summary>Why the program failed (its "error ..." line, the signal that killed it, the exit status); null if it ran.</summary>
    public string? Failure { get; }

    private ProgramOutput(string? failure) => Failure = failure;

    /// <summary>A program that could not run at all.</summary>
    public static ProgramOutput Failed(string why) => new(why);

    /// <summary>Parses <paramref name="stdout"/>; a nonzero <paramref name="exitCode"/> makes the run a failure described by <paramref name="stderr"/>.</summary>
    public static ProgramOutput Parse(string stdout, string stderr, int exitCode, string? killedBy = null)
    {
        string? failure = null;
        if (killedBy != null) failure = killedBy;
        else if (exitCode != 0)
        {
            string? error = stderr.Split('\n').FirstOrDefault(l => l.StartsWith("error ", StringComparison.Ordinal));
            failure = error != null ? error["error ".Length..] : $"exit status {exitCode}";
        }
        var output = new ProgramOutput(failure);
        foreach (string line in stdout.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 2 && double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double ns) && ns >= 0)
                (output._samples.TryGetValue(f[0], out var l) ? l : output._samples[f[0]] = []).Add(ns / 1000);
        }
        return output;
    }

    /// <summary>The median in microseconds of <paramref name="row"/>, or null if the program failed or never reported it.</summary>
    public double? Micros(string row) =>
        Failure == null && _samples.TryGetValue(row, out var l) && l.Count > 0 ? Measure.Median(l) : null;
}
