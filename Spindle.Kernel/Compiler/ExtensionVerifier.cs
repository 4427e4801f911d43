namespace Spindle.Kernel.Compiler;

// SKELETON: the trusted-compiler helper replaces the body.
/// <summary>Checks a signed extension assembly before it is linked: signature, then metadata policy.</summary>
public static class ExtensionVerifier
{
    /// <summary>Returns the reasons the image is refused; empty if it may be loaded.</summary>
    public static IReadOnlyList<string> Verify(ReadOnlySpan<byte> signedAssembly) => throw new NotImplementedException();
}
