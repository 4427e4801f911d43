using System.Globalization;

namespace Spindle.Machine.Devices;

/// <summary>
/// The faults a <see cref="NetWire"/> injects, each a rate in [0, 1] applied to every frame independently,
/// drawn from a generator seeded with <see cref="Seed"/> (so a run repeats exactly for the same frames):
/// <see cref="Loss"/> drops the frame, <see cref="Duplicate"/> delivers it twice, <see cref="Corrupt"/> flips one
/// bit, <see cref="Reorder"/> holds it back until the next frame has gone (or the line has been idle for a
/// millisecond), <see cref="Delay"/> holds it for <see cref="DelayMilliseconds"/>.
/// </summary>
public sealed record NetFaults
{
    /// <summary>No faults.</summary>
    public static readonly NetFaults None = new();

    public double Loss { get; init; }
    public double Reorder { get; init; }
    public double Duplicate { get; init; }
    public double Corrupt { get; init; }
    public double Delay { get; init; }

    /// <summary>How long a delayed frame is held.</summary>
    public int DelayMilliseconds { get; init; } = 10;

    /// <summary>The generator's seed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>True if any rate is above zero.</summary>
    public bool Any => Loss > 0 || Reorder > 0 || Duplicate > 0 || Corrupt > 0 || Delay > 0;

    /// <summary>
    /// Parses <c>loss=0.05,reorder=0.1,duplicate=0.01,corrupt=0.001,delay=0.1,delayms=20,seed=7</c> (any subset,
    /// any order). Returns null and the reason in <paramref name="error"/> for an unknown name or a bad value.
    /// </summary>
    public static NetFaults? Parse(string text, out string? error)
    {
        error = null;
        var faults = new NetFaults();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            string name = eq < 0 ? part : part[..eq], value = eq < 0 ? "" : part[(eq + 1)..];
            if (name is "delayms" or "seed")
            {
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || (name == "delayms" && n < 0))
                { error = $"{part}: expected {name}=INTEGER"; return null; }
                faults = name == "seed" ? faults with { Seed = n } : faults with { DelayMilliseconds = n };
                continue;
            }
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || rate is < 0 or > 1 || double.IsNaN(rate))
            { error = $"{part}: expected {name}=RATE with RATE in [0, 1]"; return null; }
            switch (name)
            {
                case "loss": faults = faults with { Loss = rate }; break;
                case "reorder": faults = faults with { Reorder = rate }; break;
                case "duplicate": faults = faults with { Duplicate = rate }; break;
                case "corrupt": faults = faults with { Corrupt = rate }; break;
                case "delay": faults = faults with { Delay = rate }; break;
                default: error = $"{name}: unknown fault (loss, reorder, duplicate, corrupt, delay, delayms, seed)"; return null;
            }
        }
        return faults;
    }
}
