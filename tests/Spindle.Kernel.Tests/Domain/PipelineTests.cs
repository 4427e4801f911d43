using Spindle.Kernel.Compiler;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Domain;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Sdk.Dispatcher;
using CompilerSource = Spindle.Kernel.Compiler.ExtensionSource;

namespace Spindle.Kernel.Tests.Domain;

/// <summary>End to end: the trusted compiler (policy, instrumenter, signature), then the linker's Create with the verifier.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly ExtensionCompiler _compiler;
    private readonly global::Spindle.Kernel.Dispatcher.Dispatcher _dispatcher = new();
    private readonly Linker _linker;
    private readonly Event<int, int> _probe;

    public PipelineTests()
    {
        _compiler = new ExtensionCompiler(_home.Path);
        _linker = new Linker(_dispatcher, image => ExtensionVerifier.Verify(image, _compiler.Key, ExtensionPolicy.Default)
            .Select(v => v.ToString()).ToList());
        _probe = _dispatcher.Declare(KernelOwner.Core, "probe", (int _) => 0, out _);
        _linker.Public.Export<IReadOnlyList<Event<int, int>>>(new[] { _probe });
    }

    public void Dispose() => _home.Dispose();

    private byte[] Build(string name, string body)
    {
        var result = _compiler.Build(new CompilerSource(name, [(name + ".cs", $$"""
            using System;
            using System.Collections.Generic;
            using Spindle.Sdk;
            using Spindle.Sdk.Dispatcher;
            public sealed class Entry : IExtension
            {
                public void Initialize(IExtensionContext c) =>
                    c.Dispatcher.Install(c.Import<IReadOnlyList<Event<int, int>>>()[0], Handle, a => a == 7);
                public static int Handle(int x) { {{body}} }
            }
            """)]));
        Assert.True(result.Succeeded, string.Join("\n", result.Violations));
        return result.Assembly!;
    }

    [Fact]
    public void CompiledExtensionLoadsAndIsContained()
    {
        var good = _linker.Load("good", Build("good", "return 70;"));
        Assert.Equal(70, _probe.Raise(7));
        _linker.Destroy(good);
        Assert.Equal(0, _probe.Raise(7));

        var bad = _linker.Load("bad", Build("bad", "for (;;) { try { while (true) { } } catch (Exception) { } }"),
            new DomainOptions { Fuel = 100_000 });
        for (int i = 0; i < 3; i++) Assert.Equal(0, _probe.Raise(7));
        Assert.True(bad.IsDestroyed);
        Assert.Contains("MeterExhaustedException", bad.LastFault);
    }

    [Fact]
    public void TamperedOrUnsignedImageIsRefused()
    {
        var image = Build("tampered", "return 1;");
        image[image.Length / 2] ^= 0x40;
        var e = Assert.Throws<DomainException>(() => _linker.Create("tampered", image));
        Assert.Contains("refused by the verifier", e.Message);
        Assert.Null(_linker.Find("tampered"));

        var unsigned = Containment.ExtensionSource.Build("public class U { }", "unsigned");
        Assert.Throws<DomainException>(() => _linker.Create("unsigned", unsigned));
    }
}
