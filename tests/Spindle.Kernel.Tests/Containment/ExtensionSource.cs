using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>Compiles extension source in tests with Roslyn directly (no policy, no signing) and instruments it.</summary>
internal static class ExtensionSource
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var wanted = new[] { "System.Runtime", "System.Private.CoreLib", "System.Collections", "System.Linq", "System.Linq.Expressions", "netstandard" };
        var refs = tpa.Where(p => wanted.Contains(Path.GetFileNameWithoutExtension(p)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(Spindle.Sdk.Runtime.Meter).Assembly.Location));
        return refs.ToArray();
    });

    /// <summary>Compiles <paramref name="source"/> to an assembly image; throws with the diagnostics on error.</summary>
    public static byte[] Compile(string source, string name, params byte[][] references) =>
        Compile(source, name, references.Select(r => (MetadataReference)MetadataReference.CreateFromImage(r)));

    /// <summary>Compiles against the usual references plus <paramref name="extra"/>.</summary>
    public static byte[] Compile(string source, string name, IEnumerable<MetadataReference> extra)
    {
        var compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText(source)], References.Value.Concat(extra),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        var output = new MemoryStream();
        var result = compilation.Emit(output);
        if (!result.Success)
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return output.ToArray();
    }

    /// <summary>A base-library assembly from the host's platform list, for tests that reference what is not granted.</summary>
    public static MetadataReference Platform(string name) => MetadataReference.CreateFromFile(
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .First(p => Path.GetFileNameWithoutExtension(p) == name));

    /// <summary>Compiles and instruments: what the trusted pipeline hands the linker (minus policy and signature).</summary>
    public static byte[] Build(string source, string name, params byte[][] references) =>
        Instrumenter.Instrument(Compile(source, name, references));

    /// <summary>Compiles, instruments and loads into a fresh collectible context.</summary>
    public static Assembly Load(string source, string name)
    {
        var image = Instrumenter.Instrument(Compile(source, name));
        var context = new AssemblyLoadContext(name, isCollectible: true);
        return context.LoadFromStream(new MemoryStream(image));
    }

    /// <summary>A static method of the loaded assembly as a delegate.</summary>
    public static T Method<T>(Assembly assembly, string type, string method) where T : Delegate =>
        assembly.GetType(type, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<T>();
}
