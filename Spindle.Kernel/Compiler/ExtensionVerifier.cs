namespace Spindle.Kernel.Compiler;

/// <summary>Checks a signed extension assembly before it is linked: signature, then metadata policy.</summary>
public static class ExtensionVerifier
{
    private static readonly Lazy<(KernelKey? Key, string? Error)> s_defaultKey = new(() =>
    {
        try { return (KernelKey.LoadOrCreate(SpindleHome.Default), null); }
        catch (Exception e) { return (null, $"cannot load the kernel key: {e.Message}"); }
    });

    /// <summary>Returns the reasons the image is refused; empty if it may be loaded. Uses the kernel key under <see cref="SpindleHome.Default"/>.</summary>
    public static IReadOnlyList<string> Verify(ReadOnlySpan<byte> signedAssembly)
    {
        var (key, error) = s_defaultKey.Value;
        if (key is null) return [error!];
        return Verify(signedAssembly, key, ExtensionPolicy.Default).Select(v => v.ToString()).ToList();
    }

    /// <summary>
    /// Returns every reason the image is refused: first the signature (missing, foreign key or
    /// tampered), then each metadata-policy violation, the instrumenter's meter calls allowed.
    /// Never throws on malformed input.
    /// </summary>
    public static IReadOnlyList<Violation> Verify(ReadOnlySpan<byte> signedAssembly, KernelKey key, ExtensionPolicy policy, string file = "extension.dll")
    {
        var reasons = new List<Violation>();
        if (AssemblySigner.CheckSignature(signedAssembly, key) is { } bad)
            reasons.Add(new Violation(file, 0, 0, "signature", bad));
        foreach (var v in MetadataPolicy.Check(signedAssembly, policy, allowMeter: true, file))
            if (v.Rule != "format" || reasons.Count == 0) reasons.Add(v);
        return reasons;
    }
}
