using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>SDK grants: an extension may name only the Spindle.Sdk namespaces its policy grants; Runtime never.</summary>
public sealed class GrantTests
{
    private static readonly ExtensionSource UsesDispatcher = new("Uses", [("Uses.cs", """
        public static class Uses { public static object? E(Spindle.Sdk.Dispatcher.IDispatcher d) => d; }
        """)]);

    [Fact]
    public void DefaultGrantsEveryNonPrivilegedSdkNamespace()
    {
        Assert.Contains("Spindle.Sdk.Dispatcher", ExtensionPolicy.Default.SdkGrants);
        Assert.DoesNotContain("Spindle.Sdk.Runtime", ExtensionPolicy.Default.SdkGrants);
    }

    [Fact]
    public void UngrantedNamespaceIsRefused()
    {
        using var home = new TestHome();
        var narrow = new ExtensionCompiler(home.Path, new ExtensionPolicy(["Spindle.Sdk"]));
        var found = narrow.Check(UsesDispatcher);
        Assert.Contains(found, v => v.Rule == "sdk-grant" && v.What.Contains("Spindle.Sdk.Dispatcher"));
        Assert.Empty(new ExtensionCompiler(home.Path).Check(UsesDispatcher));
    }

    [Fact]
    public void RuntimeCannotBeGranted() =>
        Assert.Throws<ArgumentException>(() => new ExtensionPolicy(["Spindle.Sdk.Runtime"]));
}
