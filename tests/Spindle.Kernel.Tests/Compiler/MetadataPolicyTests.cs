using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>
/// The IL policy on its own: assemblies compiled here with unsafe code and the whole framework
/// (what the trusted compiler would never produce) must still be refused by metadata alone.
/// </summary>
public sealed class MetadataPolicyTests
{
    private static byte[] CompileUnchecked(string source)
    {
        string dir = ReferenceAssemblies.RefPackDirectory ?? throw new InvalidOperationException("no .NET reference pack");
        var refs = Directory.GetFiles(dir, "*.dll").Select(f => MetadataReference.CreateFromFile(f))
            .Append(MetadataReference.CreateFromFile(typeof(Spindle.Sdk.Runtime.Meter).Assembly.Location));
        var c = CSharpCompilation.Create("raw", [CSharpSyntaxTree.ParseText(source)], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: source.Contains("unsafe") || source.Contains("stackalloc"), optimizationLevel: OptimizationLevel.Release));
        using var ms = new MemoryStream();
        var r = c.Emit(ms);
        Assert.True(r.Success, string.Join("\n", r.Diagnostics));
        return ms.ToArray();
    }

    private static List<Violation> Check(string source, bool allowMeter = false) =>
        MetadataPolicy.Check(CompileUnchecked(source), ExtensionPolicy.Default, allowMeter, "raw.dll");

    [Theory]
    [InlineData("public static class P { public static unsafe int R(int* p) => *p; }", "pointer")]
    [InlineData("public static class P { public static unsafe int S() { int* p = stackalloc int[4]; return p[0]; } }", "stackalloc")]
    [InlineData("public static class P { public static int S() { System.Span<int> p = stackalloc int[4]; return p[0]; } }", "stackalloc")]
    [InlineData("public static class P { public static unsafe int C(delegate*<int> f) => f(); }", "opcode")]
    [InlineData("public static class P { [System.Runtime.InteropServices.DllImport(\"libc\")] public static extern int getpid(); }", "pinvoke")]
    [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public struct U { [System.Runtime.InteropServices.FieldOffset(0)] public int A; [System.Runtime.InteropServices.FieldOffset(0)] public float B; }", "explicit-layout")]
    [InlineData("public static class P { public static void H() => System.Console.WriteLine(1); }", "assembly-ref")]
    [InlineData("public static class P { public static void H() => System.Console.WriteLine(1); }", "console")]
    [InlineData("public sealed class F { ~F() { } }", "finalizer")]
    [InlineData("public static class P { public static void T() => Spindle.Sdk.Runtime.Meter.Tick(); }", "sdk-runtime")]
    [InlineData("public static class P { public static long B(double d) => System.Runtime.CompilerServices.Unsafe.As<double, long>(ref d); }", "unsafe-api")]
    [InlineData("public static class P { public static object T() => typeof(P).Assembly; }", "reflection")]
    [InlineData("public static class P { public static int V(__arglist) => 0; }", "arglist")]
    [InlineData("public static class P { public static int R() { int x = 1; var r = __makeref(x); return __refvalue(r, int); } }", "opcode")]
    [InlineData("public static class P { public static void L(object o) { lock (o) { } } }", "threading")]
    [InlineData("public sealed class S { [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.Synchronized)] public int M(int x) => x + 1; }", "threading")]
    public void IlAloneIsRefused(string source, string rule)
    {
        var found = Check(source);
        Assert.True(found.Any(v => v.Rule == rule), $"expected {rule}, got:\n{string.Join("\n", found)}");
    }

    [Fact]
    public void CleanCodePasses() =>
        Assert.Empty(Check("public static class P { public static int F(int[] a) => a.Length + \"x\".Length; }"));

    [Fact]
    public void MeterCallsAreAllowedOnlyWhenInstrumented()
    {
        const string src = "public static class P { public static void T() { Spindle.Sdk.Runtime.Meter.Enter(); Spindle.Sdk.Runtime.Meter.Tick(); } }";
        Assert.NotEmpty(Check(src, allowMeter: false));
        Assert.Empty(Check(src, allowMeter: true));
    }

    [Fact]
    public void HelperOnlyReferencesAreRefusedInUserCode()
    {
        // MemoryMarshal.CreateSpan is tolerated inside <PrivateImplementationDetails>, never in user methods.
        var found = Check("public static class P { public static System.Span<int> S(ref int x) => System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref x, 1); }");
        Assert.Contains(found, v => v.Rule == "unsafe-api" && v.What.Contains("P::S"));
    }

    [Fact]
    public void ViolationsNameTheMethodAndIlOffset()
    {
        var found = Check("public static class P { public static void H() => System.GC.Collect(); }");
        Assert.Contains(found, v => v.Rule == "gc" && v.What.Contains("P::H at IL_"));
    }
}
