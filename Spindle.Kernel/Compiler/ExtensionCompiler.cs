using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Spindle.Kernel.Compiler;

/// <summary>The outcome of a build: a signed assembly, or the reasons it was refused.</summary>
/// <param name="Assembly">The signed, instrumented image; null if refused.</param>
/// <param name="Violations">Every reason it was refused; empty on success.</param>
/// <param name="FromCache">True if the image came from the compile cache (Roslyn did not run).</param>
public sealed record BuildResult(byte[]? Assembly, IReadOnlyList<Violation> Violations, bool FromCache)
{
    /// <summary>True if an assembly was produced.</summary>
    public bool Succeeded => Assembly is not null;
}

/// <summary>
/// Spindle's trusted compiler for extensions (SPIN's Modula-3 compiler): parse, compile with Roslyn
/// (Release, deterministic, no unsafe, only allowlisted references), source policy, metadata policy on
/// the IL, instrument, metadata policy again, sign with the kernel key, cache.
/// </summary>
public sealed class ExtensionCompiler
{
    private readonly ExtensionPolicy _policy;
    private readonly CompileCache _cache;
    private readonly string _home;
    private readonly Lazy<KernelKey> _key;
    private int _roslynRuns;

    /// <summary>Creates a compiler keeping its key and cache under <paramref name="spindleHome"/>.</summary>
    public ExtensionCompiler(string spindleHome, ExtensionPolicy? policy = null)
    {
        _policy = policy ?? ExtensionPolicy.Default;
        _home = spindleHome;
        _cache = new CompileCache(spindleHome);
        _key = new Lazy<KernelKey>(() => KernelKey.LoadOrCreate(spindleHome));
    }

    /// <summary>How many times this compiler has run Roslyn (a warm-cache build does not).</summary>
    public int RoslynRuns => _roslynRuns;

    /// <summary>The kernel key this compiler signs with (loaded or created on first use).</summary>
    /// <exception cref="IOException">The Spindle home cannot be read or created.</exception>
    public KernelKey Key => _key.Value;

    /// <summary>
    /// The cached, verified image of <paramref name="source"/> if the same sources were built before under an existing
    /// kernel key, else null (nothing compiled, no key created): a lookup that needs no compile lock, so that a
    /// start-up whose extensions are cached never waits for another process's build.
    /// </summary>
    public BuildResult? FromCache(ExtensionSource source)
    {
        if (!File.Exists(Path.Combine(_home, KernelKey.FileName))) return null;
        try
        {
            return _cache.TryGet(CompileCache.KeyOf(source, _policy)) is { } cached && ExtensionVerifier.Verify(cached, Key, _policy).Count == 0
                ? new BuildResult(cached, [], FromCache: true) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return null;    // Build reports it
        }
    }

    /// <summary>Builds a signed extension, from the cache when the same sources were built before.</summary>
    public BuildResult Build(ExtensionSource source)
    {
        KernelKey key;
        try { key = Key; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return Refused(source.Name, "key", $"cannot load the kernel key: {e.Message}");
        }
        string cacheKey = CompileCache.KeyOf(source, _policy);
        if (_cache.TryGet(cacheKey) is { } cached && ExtensionVerifier.Verify(cached, key, _policy).Count == 0)
            return new BuildResult(cached, [], FromCache: true);

        var (image, violations) = CompileAndCheck(source);
        if (image is null) return new BuildResult(null, violations, false);
        if (AssemblySigner.Sign(image, key) is { } signError)
            return Refused(source.Name, "sign", signError);
        _cache.Put(cacheKey, image);
        return new BuildResult(image, [], false);
    }

    /// <summary>Compiles and checks without signing or writing anything; returns every violation.</summary>
    public IReadOnlyList<Violation> Check(ExtensionSource source) => CompileAndCheck(source).Violations;

    // The pipeline up to (not including) signing. Returns the instrumented image, or null and the reasons.
    private (byte[]? Image, IReadOnlyList<Violation> Violations) CompileAndCheck(ExtensionSource source)
    {
        var refs = ReferenceAssemblies.Get(out string? refError);
        if (refs is null) return (null, [new Violation(source.Name, 0, 0, "toolchain", refError!)]);

        Interlocked.Increment(ref _roslynRuns);
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None);
        var trees = source.Files.Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, Encoding.UTF8), parse, f.Path));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release, deterministic: true, allowUnsafe: false,
            nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false);
        var compilation = CSharpCompilation.Create(source.Name, trees, refs, options);

        var violations = SourcePolicy.Check(compilation, _policy);
        if (violations.Count > 0) return (null, violations);

        using var pe = new MemoryStream();
        var emit = compilation.Emit(pe, manifestResources: [AssemblySigner.Placeholder()]);
        if (!emit.Success)
            return (null, emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => new Violation(source.Name, 0, 0, "compile", d.ToString())).ToList());
        byte[] image = pe.ToArray();
        string file = source.Name + ".dll";
        if (MetadataPolicy.Check(image, _policy, allowMeter: false, file) is { Count: > 0 } il) return (null, il);

        byte[] instrumented;
        try { instrumented = Instrumenter.Instrument(image); }
        catch (InstrumentationException e) { return (null, [new Violation(file, 0, 0, e.Rule, $"refused by the instrumenter: {e.Message}")]); }
        catch (Exception e) { return (null, [new Violation(file, 0, 0, "instrument", $"the instrumenter failed: {e.Message}")]); }
        if (MetadataPolicy.Check(instrumented, _policy, allowMeter: true, file) is { Count: > 0 } after)
            return (null, after.Select(v => v with { What = "after instrumentation: " + v.What }).ToList());
        return (instrumented, []);
    }

    private static BuildResult Refused(string file, string rule, string what) => new(null, [new Violation(file, 0, 0, rule, what)], false);
}
