using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Tests.Strand;

/// <summary>
/// The extensions/Schedulers sources compiled here with Roslyn against Spindle.Sdk and the base
/// library only, as the kernel will compile an extension, and loaded once.
/// </summary>
internal static class SchedulersExtension
{
    private static readonly Lazy<Assembly> s_assembly = new(Compile);

    /// <summary>A new StrideScheduler(quantum) from the compiled extension.</summary>
    public static ISchedulerPolicy NewStride(long quantum) =>
        (ISchedulerPolicy)Activator.CreateInstance(s_assembly.Value.GetType("Spindle.Extensions.Schedulers.StrideScheduler", throwOnError: true)!,
            quantum, 100)!;

    private static Assembly Compile()
    {
        string dir = Path.Combine(RepoRoot(), "extensions", "Schedulers");
        var trees = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f));
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Where(p => Path.GetFileName(p).StartsWith("System.") || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(ISchedulerPolicy).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Spindle.Extensions.Schedulers", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithUsings("System", "System.Collections.Generic", "System.Linq", "System.Threading.Tasks"));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
            throw new InvalidOperationException("extensions/Schedulers does not compile: " +
                string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(image);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Spindle.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Spindle.sln above {AppContext.BaseDirectory}");
    }
}
