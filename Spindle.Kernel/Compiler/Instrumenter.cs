namespace Spindle.Kernel.Compiler;

// SKELETON (identity): the domains/containment helper replaces it.
/// <summary>Rewrites a compiled extension so that it is metered: see Spindle.Sdk.Runtime.Meter.</summary>
public static class Instrumenter
{
    /// <summary>Returns the instrumented assembly image.</summary>
    public static byte[] Instrument(byte[] assembly) => assembly;
}
