using System.Runtime.CompilerServices;
using Spindle.Kernel.Compiler;
using CompilerSource = Spindle.Kernel.Compiler.ExtensionSource;
using Spindle.Kernel.Domain;
using Spindle.Kernel.Tests.Compiler;
using Xunit.Abstractions;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>The hostile corpus runs alone: its memory bounds are process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Hostile";
}

/// <summary>
/// The hostile corpus (tests/corpus/hostile): extensions that attack the kernel through the holes a review found
/// (the kernel reading extension objects outside containment, kernel recursion on extension-sized data, work and
/// allocation the meter does not see, state shared between domains, two lists of what is allowed). Each file's
/// header says what must happen (see <see cref="HostileCase"/>); one theory builds each with the real trusted
/// compiler and loads it through <see cref="Linker.Load"/> beside a good domain, under a hard time limit.
/// Nothing may escape a raise; a load may end only in a <see cref="DomainException"/>.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class HostileCorpusTests : IClassFixture<TestHome>
{
    private const long Slack = 64L << 20;          // memory may stay this far above the baseline once a domain is gone
    private const long HoardCeiling = 256L << 20;  // a hoarding domain must be destroyed before the heap grows this much
    private const int HoardRaises = 500;
    private static int s_domains;

    private readonly ExtensionCompiler _compiler;
    private readonly byte[] _good;
    private readonly ITestOutputHelper _output;

    /// <summary>Creates the runner over a throwaway Spindle home shared by the cases; what the kernel said goes to <paramref name="output"/>.</summary>
    public HostileCorpusTests(TestHome home, ITestOutputHelper output)
    {
        _output = output;
        _compiler = new ExtensionCompiler(home.Path);
        _good = HostileKernel.Build(_compiler, "good", HostileKernel.GoodSource);
    }

    /// <summary>Every case of the corpus.</summary>
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in HostileCase.All()) data.Add(c.Name);
        return data;
    }

    [Fact]
    public void CorpusIsLargeAndCoversEveryClass()
    {
        var all = HostileCase.All();
        Assert.True(all.Count >= 45, $"only {all.Count} hostile cases");
        for (int cls = 1; cls <= 6; cls++)
            Assert.True(all.Count(c => c.Class == cls) >= 5, $"class {cls} has {all.Count(c => c.Class == cls)} cases; at least 5 wanted");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string name) => Run(HostileCase.Named(name));

    private void Run(HostileCase c)
    {
        var source = CompilerSource.Load(c.Path, out string? error);
        Assert.True(source is not null, error);
        if (c.Expect == HostileExpect.Reject)
        {
            Bounded.Run(c.Name, () => Rejected(c, source!));
            return;
        }
        // A neutral name: the fault text must come from what the kernel says, never from the domain's name.
        string domain = "bad-" + Interlocked.Increment(ref s_domains);
        Bounded.Run(c.Name, () =>
        {
            var built = _compiler.Build(source!);
            Assert.True(built.Succeeded, $"{c.Name}: refused by the compiler, expected to load:\n" + string.Join("\n", built.Violations));
            var kernel = new HostileKernel(_compiler);
            try
            {
                switch (c.Expect)
                {
                    case HostileExpect.ContainedHandler: Handler(c, kernel, domain, built.Assembly!); break;
                    case HostileExpect.ContainedLoad: Load(c, kernel, domain, built.Assembly!); break;
                    default: Hoard(c, kernel, domain, built.Assembly!); break;
                }
            }
            finally { kernel.DestroyAll(); }
        }, domain);
    }

    private void Rejected(HostileCase c, CompilerSource source)
    {
        var violations = _compiler.Check(source);
        Log("violations: " + (violations.Count == 0 ? "(accepted)" : string.Join("; ", violations.Select(v => v.Rule))));
        Assert.True(violations.Any(v => v.Rule == c.Rule),
            $"{c.Name}: expected rule {c.Rule}, got:\n{(violations.Count == 0 ? "(accepted)" : string.Join("\n", violations))}");
    }

    // Contained handler: FaultLimit raises of probe(2) each fault, are charged, and end in the domain's destruction.
    private void Handler(HostileCase c, HostileKernel kernel, string name, byte[] image)
    {
        long baseline = Bounded.Baseline();
        var good = kernel.Load("good", _good);
        var bad = LoadOrFail(c, kernel, name, image);
        for (int fault = 1; fault <= HostileKernel.Options.FaultLimit; fault++)
        {
            Raise(c, kernel, 2, $"raise {fault}");
            Log($"raise {fault}: {bad.Faults} faults, last fault: {bad.LastFault ?? "(none)"}");
            Assert.True(bad.Faults == fault, $"{c.Name}: not charged: {bad.Faults} faults after raise {fault} of probe(2)");
            Assert.True(fault == HostileKernel.Options.FaultLimit || !bad.IsDestroyed, $"{c.Name}: destroyed after {fault} faults, before the limit");
            Assert.Equal(101, Raise(c, kernel, 1, "the good domain's raise"));
        }
        Assert.True(bad.IsDestroyed, $"{c.Name}: not destroyed after {HostileKernel.Options.FaultLimit} faults");
        Assert.Null(kernel.Linker.Find(name));
        Assert.Empty(kernel.Dispatcher.BindingsOf(bad));
        if (c.Fault is { } text)
            Assert.True(bad.LastFault?.Contains(text, StringComparison.OrdinalIgnoreCase) == true, $"{c.Name}: last fault '{bad.LastFault}' does not mention '{text}'");
        Assert.Equal(0, Raise(c, kernel, 2, "a raise after destruction"));
        Assert.Equal(101, Raise(c, kernel, 1, "the good domain's raise"));
        Assert.Equal(0, good.Faults);
        AssertMemoryReturns(c, baseline);
    }

    // Contained load: loading ends in a DomainException; nothing of the domain stays; the kernel still answers.
    private void Load(HostileCase c, HostileKernel kernel, string name, byte[] image)
    {
        var good = kernel.Load("good", _good);
        string message;
        try
        {
            kernel.Load(name, image);
            Assert.Fail($"{c.Name}: loaded; expected the load to be refused with a DomainException");
            return;
        }
        catch (DomainException e) { message = e.Message; }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{c.Name}: exception escaped the load: {Bounded.Describe(e)}");
            return;
        }
        Log("refused: " + message);
        Assert.Null(kernel.Linker.Find(name));
        if (c.Fault is { } text)
            Assert.True(message.Contains(text, StringComparison.OrdinalIgnoreCase), $"{c.Name}: refusal '{message}' does not mention '{text}'");
        Assert.Equal(0, Raise(c, kernel, 2, "a raise after the refused load"));
        Assert.Equal(101, Raise(c, kernel, 1, "the good domain's raise"));
        Assert.Equal(0, good.Faults);
    }

    // Contained hoard: the domain is destroyed before the heap grows by HoardCeiling, and its memory comes back.
    private void Hoard(HostileCase c, HostileKernel kernel, string name, byte[] image)
    {
        long baseline = Bounded.Baseline();
        kernel.Load("good", _good);
        var bad = LoadOrFail(c, kernel, name, image);
        for (int i = 1; i <= HoardRaises && !bad.IsDestroyed; i++)
        {
            Raise(c, kernel, 2, $"raise {i}");
            long held = GC.GetTotalMemory(true);
            if (held > baseline + HoardCeiling)
                Assert.Fail($"{c.Name}: memory not bounded: {(held - baseline) >> 20} MB kept after {i} raises; domain alive with {bad.Faults} faults");
        }
        Log($"hoard: destroyed {bad.IsDestroyed}, {bad.Faults} faults, last fault: {bad.LastFault ?? "(none)"}");
        Assert.True(bad.IsDestroyed, $"{c.Name}: not destroyed after {HoardRaises} raises ({bad.Faults} faults)");
        Assert.Equal(101, Raise(c, kernel, 1, "the good domain's raise"));
        AssertMemoryReturns(c, baseline);
    }

    // Notes what the kernel said (the case's thread may outlive its test if it hung: then the note is dropped).
    private void Log(string line)
    {
        try { _output.WriteLine(line); }
        catch (InvalidOperationException) { }
    }

    private static ProtectionDomain LoadOrFail(HostileCase c, HostileKernel kernel, string name, byte[] image)
    {
        try { return kernel.Load(name, image); }
        catch (Exception e) { throw new Xunit.Sdk.XunitException($"{c.Name}: load refused, expected it to load: {Bounded.Describe(e)}"); }
    }

    // Raises probe(arg); anything escaping the raise fails the case, naming only the exception's type.
    private static int Raise(HostileCase c, HostileKernel kernel, int arg, string what)
    {
        try { return kernel.Probe.Raise(arg); }
        catch (Exception e) { throw new Xunit.Sdk.XunitException($"{c.Name}: exception escaped {what} (probe({arg})): {Bounded.Describe(e)}"); }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AssertMemoryReturns(HostileCase c, long baseline)
    {
        long settled = Bounded.SettledMemory(baseline + Slack);
        Assert.True(settled <= baseline + Slack, $"{c.Name}: memory not bounded: {(settled - baseline) >> 20} MB above the baseline after the domain was destroyed");
    }
}
