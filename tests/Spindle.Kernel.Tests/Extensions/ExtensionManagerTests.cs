using Spindle.Kernel.Boot;
using Spindle.Kernel.Compiler;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Tests.Compiler;

namespace Spindle.Kernel.Tests.Extensions;

/// <summary>The extension manager: compile-or-verify, link, initialize under the meter, unload.</summary>
public sealed class ExtensionManagerTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly KernelRoot _kernel = new(new KernelOptions(MemoryBytes: 16UL << 20));
    private readonly ExtensionManager _manager;

    public ExtensionManagerTests() => _manager = ExtensionManager.ForKernel(_kernel, _home.Path);

    public void Dispose()
    {
        _kernel.Dispose();
        _home.Dispose();
    }

    private static string NullSyscall => Repo.PathOf("extensions", "Examples", "NullSyscall.cs");

    private string Write(string name, string text)
    {
        Directory.CreateDirectory(_home.Path);
        string path = Path.Combine(_home.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void SourceExtension_IsCompiledLinkedAndInitialized_ThenCachedOnTheSecondLoad()
    {
        var first = _manager.Load(NullSyscall, out string? error);
        Assert.True(first is not null, error);
        Assert.True(first!.Domain.IsInitialized);
        Assert.False(first.FromCache);
        Assert.Single(_kernel.Dispatcher.BindingsOf(first.Domain));   // its guarded handler on Trap.Syscall

        var second = _manager.Load(NullSyscall, out error);
        Assert.True(second is not null, error);
        Assert.True(second!.FromCache);
        Assert.NotEqual(first.Domain.Name, second.Domain.Name);

        _manager.Unload(first);
        Assert.True(first.Domain.IsDestroyed);
        Assert.Empty(_kernel.Dispatcher.BindingsOf(first.Domain));
        _manager.Unload(first);                                       // idempotent
    }

    [Fact]
    public void SignedDll_IsVerifiedAndLoaded_ATamperedOneIsRefused()
    {
        string dll = Path.Combine(_home.Path, "Null.dll");
        Assert.Equal(0, ExtTool.Run(["build", NullSyscall, "-o", dll], TextWriter.Null, TextWriter.Null, _home.Path));
        var loaded = _manager.Load(dll, out string? error);
        Assert.True(loaded is not null, error);

        byte[] image = File.ReadAllBytes(dll);
        image[image.Length / 2] ^= 0x20;
        File.WriteAllBytes(dll, image);
        Assert.Null(_manager.Load(dll, out error));
        Assert.Contains("refused by the verifier", error);
    }

    [Theory]
    [InlineData("/no/such/Ext.cs", "no such file")]
    [InlineData("/no/such/Ext.dll", "no such file")]
    [InlineData("", "empty")]
    public void MissingPaths_AreClearErrors(string path, string expected)
    {
        Assert.Null(_manager.Load(path, out string? error));
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RefusedSource_ReportsEveryReason_AndLeavesNoDomain()
    {
        string bad = Write("Bad.cs", "public static class Bad { public static void F() { System.IO.File.Delete(\"/x\"); System.Environment.Exit(1); } }");
        Assert.Null(_manager.Load(bad, out string? error));
        Assert.Contains(": io:", error);
        Assert.Contains(": environment:", error);
        Assert.Equal(["public"], _manager.Linker.Domains.Select(d => d.Name));
    }

    [Fact]
    public void AnInitializeThatLoops_IsCutOff_AndTheLoadIsRefused()
    {
        string looping = Write("Loops.cs", """
            public sealed class Loops : Spindle.Sdk.IExtension
            {
                public void Initialize(Spindle.Sdk.IExtensionContext c) { while (true) { } }
            }
            """);
        var manager = ExtensionManager.ForKernel(new KernelRoot(new KernelOptions(MemoryBytes: 1UL << 20)), _home.Path,
            new Spindle.Kernel.Domain.DomainOptions { InitializeFuel = 100_000 });
        Assert.Null(manager.Load(looping, out string? error));
        Assert.Contains("MeterExhaustedException", error);
        Assert.Equal(["public"], manager.Linker.Domains.Select(d => d.Name));
    }
}
