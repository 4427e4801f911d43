using Spindle.Kernel.Compiler;
using Spindle.Kernel.Tests.Extensions;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>Every example extension (extensions/Examples/*.cs) is accepted by the trusted compiler.</summary>
public sealed class ExampleExtensionsTests : IClassFixture<TestHome>
{
    private readonly TestHome _home;
    public ExampleExtensionsTests(TestHome home) => _home = home;

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Repo.PathOf("extensions", "Examples"), "*.cs").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_IsAccepted(string name)
    {
        var source = ExtensionSource.Load(Repo.PathOf("extensions", "Examples", name), out string? error);
        Assert.True(source is not null, error);
        var violations = new ExtensionCompiler(_home.Path).Check(source!);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
