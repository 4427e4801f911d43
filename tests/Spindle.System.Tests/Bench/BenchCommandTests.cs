using System.Text.Json;

namespace Spindle.System.Tests.Bench;

/// <summary>`spindle bench`: the dispatcher suite's JSON, and bad arguments.</summary>
public sealed class BenchCommandTests
{
    private static readonly string[] DispatcherRows =
        ["raise-intrinsic", "raise-1", "raise-1-guarded", "raise-5", "raise-10", "raise-50", "raise-1000-indexed-guards", "install-1"];

    [Fact]
    public void DispatcherQuickWritesJsonWithEveryRow()
    {
        string file = Path.Combine(Path.GetTempPath(), $"spindle-bench-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, Spindle.Cli.Program.Main(["bench", "dispatcher", "--quick", "--json", file]));
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            Assert.False(string.IsNullOrWhiteSpace(doc.RootElement.GetProperty("machine").GetString()));
            var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(DispatcherRows, rows.Select(r => r.GetProperty("name").GetString()));
            foreach (var r in rows)
            {
                Assert.Equal("dispatcher", r.GetProperty("suite").GetString());
                double us = r.GetProperty("spindle_us").GetDouble();
                Assert.True(us > 0 && double.IsFinite(us), $"{r.GetProperty("name")}: {us}");
                Assert.Equal(JsonValueKind.Null, r.GetProperty("host_us").ValueKind);
                Assert.True(r.TryGetProperty("sosp95_spin_us", out _));
            }
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("nosuch")]
    [InlineData("--bogus")]
    public void BadArgumentsExitTwoWithAMessage(string arg)
    {
        var saved = Console.Error;
        var err = new StringWriter();
        Console.SetError(err);
        try { Assert.Equal(2, Spindle.Cli.Program.Main(["bench", arg])); }
        finally { Console.SetError(saved); }
        Assert.Contains(arg, err.ToString());
    }
}
