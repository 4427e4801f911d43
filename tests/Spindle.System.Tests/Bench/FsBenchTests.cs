using System.Text.Json;

namespace Spindle.System.Tests.Bench;

/// <summary>`spindle bench fs --quick --json FILE`: the warm sequential read, sequential write and small-file rows, each measured on Spindle's ext2 and on the host's in one run.</summary>
public sealed class FsBenchTests
{
    [Fact]
    public void TheFsSuiteWritesItsRowWithBothSides()
    {
        string file = Path.Combine(Path.GetTempPath(), $"spindle-bench-fs-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, Spindle.Cli.Program.Main(["bench", "fs", "--quick", "--json", file]));
            var rows = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(["fs-read-seq-warm", "fs-write-seq", "fs-create-small"], rows.Select(r => r.GetProperty("name").GetString()));
            foreach (var row in rows)
            {
                Assert.Equal("fs", row.GetProperty("suite").GetString());
                Assert.True(row.GetProperty("spindle_us").GetDouble() > 0);
                Assert.True(row.GetProperty("host_us").GetDouble() > 0);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
