using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>
/// The extension corpus, in the style of the eBPF verifier's self-tests: each file's first line says
/// `// expect: accept` or `// expect: reject RULE`; one theory runs them all through the compiler.
/// </summary>
public sealed class CorpusTests : IClassFixture<TestHome>
{
    private readonly TestHome _home;
    public CorpusTests(TestHome home) => _home = home;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestHome.CorpusDir, "*.cs").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Fact]
    public void CorpusIsLargeEnough() => Assert.True(Cases().Count >= 45, $"only {Cases().Count} corpus cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        string path = Path.Combine(TestHome.CorpusDir, name);
        string first = File.ReadLines(path).First();
        Assert.StartsWith("// expect: ", first);
        string[] expect = first["// expect: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var source = ExtensionSource.Load(path, out string? error);
        Assert.True(source is not null, error);
        var compiler = new ExtensionCompiler(_home.Path);

        if (expect[0] == "accept")
        {
            var result = compiler.Build(source!);
            Assert.True(result.Succeeded, string.Join("\n", result.Violations));
            var again = ExtensionVerifier.Verify(result.Assembly, compiler.Key, ExtensionPolicy.Default);
            Assert.True(again.Count == 0, string.Join("\n", again));
        }
        else
        {
            Assert.Equal("reject", expect[0]);
            var violations = compiler.Check(source!);
            Assert.True(violations.Any(v => v.Rule == expect[1]),
                $"expected rule {expect[1]}, got:\n{string.Join("\n", violations)}");
            Assert.All(violations, v => Assert.True(v.Line > 0 || v.File.EndsWith(".dll"), v.ToString()));
        }
    }
}
