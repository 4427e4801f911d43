using System.Runtime.Loader;
using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>The kernel signature: a signed build verifies and loads; any change, foreign key, unsigned or truncated image is refused.</summary>
public sealed class SignatureTests : IClassFixture<TestHome>
{
    private const string Source = """
        public static class Adder { public static int Add(int a, int b) => a + b; }
        """;

    private readonly TestHome _home;
    private readonly ExtensionCompiler _compiler;
    private readonly byte[] _signed;

    public SignatureTests(TestHome home)
    {
        _home = home;
        _compiler = new ExtensionCompiler(home.Path);
        var result = _compiler.Build(new ExtensionSource("Adder", [("Adder.cs", Source)]));
        Assert.True(result.Succeeded, string.Join("\n", result.Violations));
        _signed = result.Assembly!;
    }

    private IReadOnlyList<Violation> Verify(byte[] image) => ExtensionVerifier.Verify(image, _compiler.Key, ExtensionPolicy.Default);

    [Fact]
    public void SignedBuildVerifies() => Assert.Empty(Verify(_signed));

    [Fact]
    public void SignedBuildIsALoadableAssembly()
    {
        var alc = new AssemblyLoadContext("signature-test", isCollectible: true);
        try
        {
            var asm = alc.LoadFromStream(new MemoryStream(_signed));
            var add = asm.GetType("Adder")!.GetMethod("Add")!;
            Assert.Equal(5, add.Invoke(null, [2, 3]));
        }
        finally { alc.Unload(); }
    }

    [Fact]
    public void KeyFileIsPrivateToItsOwner()
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(Path.Combine(_home.Path, KernelKey.FileName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public void SameHomeGivesSameKey()
    {
        using var again = KernelKey.LoadOrCreate(_home.Path);
        Assert.Equal(_compiler.Key.KeyId, again.KeyId);
    }

    [Fact]
    public void EveryFlippedByteIsRefused()
    {
        // Flip one byte at a time over a spread of offsets covering headers, metadata, IL and the slot.
        for (int at = 0; at < _signed.Length; at += 97)
        {
            byte[] bad = (byte[])_signed.Clone();
            bad[at] ^= 0x5A;
            var reasons = Verify(bad);
            Assert.True(reasons.Count > 0, $"flipping byte {at} went unnoticed");
            Assert.Contains(reasons, r => r.Rule is "signature");
        }
    }

    [Fact]
    public void TamperedIlSaysTampered()
    {
        byte[] bad = (byte[])_signed.Clone();
        bad[^1] ^= 1;
        Assert.Contains(Verify(bad), r => r.What.StartsWith("tampered", StringComparison.Ordinal));
    }

    [Fact]
    public void ForeignKeyIsRefused()
    {
        using var foreign = KernelKey.CreateEphemeral();
        var reasons = ExtensionVerifier.Verify(_signed, foreign, ExtensionPolicy.Default);
        Assert.Contains(reasons, r => r.What == "not signed by this kernel's key");
    }

    [Fact]
    public void UnsignedPlainDllIsRefused()
    {
        byte[] plain = File.ReadAllBytes(typeof(Spindle.Sdk.Runtime.Meter).Assembly.Location);
        var reasons = Verify(plain);
        Assert.Contains(reasons, r => r.Rule == "signature" && r.What.Contains("no Spindle signature"));
    }

    [Fact]
    public void TruncatedOrGarbageImagesAreRefusedWithoutThrowing()
    {
        foreach (int len in new[] { 0, 1, 64, 128, 512, _signed.Length / 2, _signed.Length - 1 })
            Assert.NotEmpty(Verify(_signed[..len]));
        var rng = new Random(7);
        for (int i = 0; i < 20; i++)
        {
            byte[] junk = new byte[rng.Next(1, 4096)];
            rng.NextBytes(junk);
            Assert.NotEmpty(Verify(junk));
        }
    }

    [Fact]
    public void SigningTwiceIsRefused() => Assert.NotNull(AssemblySigner.Sign((byte[])_signed.Clone(), _compiler.Key));
}
