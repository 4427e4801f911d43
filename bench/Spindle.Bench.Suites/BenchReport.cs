using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spindle.Bench.Suites;

/// <summary>Formats measured rows: the paper-style tables with footnotes, the machine line, and the JSON file.</summary>
public static class BenchReport
{
    /// <summary>One line describing the machine the numbers come from.</summary>
    public static string MachineLine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>Writes one suite's table: Spindle, host Linux, ratio, SPIN/OSF/1/Mach 1995, with numbered footnotes.</summary>
    public static void WriteTable(TextWriter w, BenchSuite suite, IReadOnlyList<BenchRow> rows)
    {
        var notes = new List<string>();
        w.WriteLine();
        w.WriteLine($"{suite.Title}, microseconds");
        string header = $"{"",-28} {"Spindle",10} {"host Linux",10} {"ratio",8} {"SPIN'95",8} {"OSF/1",7} {"Mach",7}";
        w.WriteLine(header);
        w.WriteLine(new string('-', header.Length));
        foreach (var r in rows)
        {
            string spindle = r.SpindleUs == null ? "n/a" : Us(r.SpindleUs);
            if (r.Note != null)
            {
                int k = notes.IndexOf(r.Note);
                if (k < 0) { notes.Add(r.Note); k = notes.Count - 1; }
                spindle += $" [{k + 1}]";
            }
            string ratio = r.Ratio is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:F2}x") : "-";
            w.WriteLine($"{r.Name,-28} {spindle,10} {Us(r.HostUs),10} {ratio,8} {Us(r.Paper.Spin),8} {Us(r.Paper.Osf1),7} {Us(r.Paper.Mach),7}");
        }
        for (int i = 0; i < notes.Count; i++) w.WriteLine($"  [{i + 1}] {notes[i]}");
    }

    /// <summary>The JSON document: {"machine": ..., "rows": [{"suite", "name", "spindle_us", "host_us", "sosp95_spin_us", and the
    /// row's own <see cref="BenchRow.Fields"/>}, ...]}.</summary>
    public static string Json(string machine, IEnumerable<BenchRow> rows)
    {
        var array = new JsonArray();
        foreach (var r in rows)
        {
            var row = new JsonObject
            {
                ["suite"] = r.Suite,
                ["name"] = r.Name,
                ["spindle_us"] = r.SpindleUs,
                ["host_us"] = r.HostUs,
                ["sosp95_spin_us"] = r.Paper.Spin,
            };
            foreach (var (field, value) in r.Fields ?? new Dictionary<string, double?>()) row[field] = value;
            array.Add(row);
        }
        var doc = new JsonObject { ["machine"] = machine, ["rows"] = array };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    // A time in microseconds with two to four significant digits, or n/a / - when absent.
    private static string Us(double? us) => us switch
    {
        null => "-",
        < 0.1 => us.Value.ToString("F4", CultureInfo.InvariantCulture),
        < 1 => us.Value.ToString("F3", CultureInfo.InvariantCulture),
        < 100 => us.Value.ToString("F2", CultureInfo.InvariantCulture),
        _ => us.Value.ToString("F0", CultureInfo.InvariantCulture),
    };
}
