using Spindle.Kernel.Compiler;
using Spindle.Kernel.Domain;
using Spindle.Sdk.Dispatcher;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>
/// stackalloc: only `Span&lt;byte&gt; b = stackalloc byte[n]` is admitted, checked at run time by
/// Meter.StackAlloc (size cap, host stack left), so that no extension can overflow the kernel's stack.
/// </summary>
public sealed class StackAllocPolicyTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly ExtensionCompiler _compiler;

    public StackAllocPolicyTests() => _compiler = new ExtensionCompiler(_home.Path);

    public void Dispose() => _home.Dispose();

    private IReadOnlyList<Violation> Check(string body) => _compiler.Check(new ExtensionSource("S", [("S.cs", $$"""
        using System;
        public static class S { public static int F(int n) { {{body}} } }
        """)]));

    [Theory]
    [InlineData("Span<byte> b = stackalloc byte[16]; b[0] = 1; return b[0];")]
    [InlineData("Span<byte> b = stackalloc byte[n]; return b.Length;")]
    [InlineData("Span<byte> b = stackalloc byte[n == 3 ? 36 : 8]; return b.Length;")]
    public void ByteSpanStackAlloc_IsAccepted(string body) => Assert.Empty(Check(body));

    [Theory]
    [InlineData("Span<int> b = stackalloc int[4]; return b[0];")]
    [InlineData("Span<byte> b = stackalloc byte[] { 1, 2 }; return b[0];")]
    [InlineData("Span<byte> b = stackalloc[] { (byte)1 }; return b[0];")]
    [InlineData("ReadOnlySpan<byte> b = stackalloc byte[4]; return b[0];")]
    public void OtherStackAllocs_AreRefused(string body) =>
        Assert.Contains(Check(body), v => v.Rule == "stackalloc");

    [Fact]
    public void LocallocOutsideThePattern_IsRefusedInTheIl()
    {
        // Compiled without the source policy: the metadata policy alone must catch it.
        var image = Containment.ExtensionSource.Compile("public static class S { public static int F() { System.Span<int> b = stackalloc int[4]; return b[0]; } }", "il");
        Assert.Contains(StackAllocRules(image, allowMeter: false), v => v.Rule == "stackalloc");
        var ok = Containment.ExtensionSource.Compile("public static class S { public static int F(int n) { System.Span<byte> b = stackalloc byte[n]; return b.Length; } }", "ok");
        Assert.Empty(StackAllocRules(ok, allowMeter: false));
        // Once the meter is allowed (signed images), the size check before localloc is required.
        Assert.Contains(StackAllocRules(ok, allowMeter: true), v => v.Rule == "stackalloc");
        Assert.Empty(StackAllocRules(Instrumenter.Instrument(ok), allowMeter: true));
    }

    // The violations about the host stack and pointers (these test images reference CoreLib directly, which is refused too).
    private static List<Violation> StackAllocRules(byte[] image, bool allowMeter) =>
        MetadataPolicy.Check(image, ExtensionPolicy.Default, allowMeter, "t.dll").Where(v => v.Rule is "stackalloc" or "pointer" or "opcode").ToList();

    [Theory]
    [InlineData("Span<byte> b = stackalloc byte[x]; return b.Length;", 100_000)]                          // over the cap
    [InlineData("int s = 0; while (true) { Span<byte> b = stackalloc byte[4096]; s += b.Length; }", 1)]   // in a loop
    public void HostileStackAlloc_IsContained(string body, int arg)
    {
        var result = _compiler.Build(new ExtensionSource("hostile", [("H.cs", $$"""
            using System;
            using System.Collections.Generic;
            using Spindle.Sdk;
            using Spindle.Sdk.Dispatcher;
            public sealed class Entry : IExtension
            {
                public void Initialize(IExtensionContext c) => c.Dispatcher.Install(c.Import<IReadOnlyList<Event<int, int>>>()[0], Handle);
                public static int Handle(int x) { {{body}} }
            }
            """)]));
        Assert.True(result.Succeeded, string.Join("\n", result.Violations));
        var dispatcher = new KernelDispatcher();
        var probe = dispatcher.Declare(Spindle.Kernel.Dispatcher.KernelOwner.Core, "probe", (int _) => -1, out _);
        var linker = new Linker(dispatcher, image => ExtensionVerifier.Verify(image, _compiler.Key, ExtensionPolicy.Default).Select(v => v.ToString()).ToList());
        linker.Public.Export<IReadOnlyList<Event<int, int>>>(new[] { probe });
        var domain = linker.Load("hostile", result.Assembly!);

        Assert.Equal(-1, probe.Raise(arg));
        Assert.Contains("MeterExhaustedException", domain.LastFault);
    }
}
