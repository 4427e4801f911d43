using Spindle.Kernel.Boot;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Translation;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Translation;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Bench;

/// <summary>
/// The Translation service an extension imports acts only on the context of the program that loaded it and on
/// contexts it made itself: the fault-handling example (PageProtect.cs, which the vm rows use) is loaded for one
/// address space and tried on another.
/// </summary>
public sealed class ExtensionTranslationGrantTests : IDisposable
{
    private const ulong Va = 0x10000, Page = 4096;
    private readonly string _home = Directory.CreateTempSubdirectory("spindle-grant-").FullName;
    private readonly KernelRoot _kernel = new();
    private readonly AddressSpace _mine, _other;
    private readonly ExtensionManager _manager;

    public ExtensionTranslationGrantTests()
    {
        _manager = ExtensionManager.ForKernel(_kernel, _home);
        _mine = Space();
        _other = Space();
    }

    public void Dispose()
    {
        _kernel.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    // A context with one read-write page at Va.
    private AddressSpace Space()
    {
        var space = (AddressSpace)_kernel.Translation.Create();
        Assert.True(_kernel.Translation.AddAnonymousMapping(space, Va, Page, Protection.Read | Protection.Write));
        return space;
    }

    // The Translation service the example extension, loaded for `program`, imported.
    private ITranslationService LoadFor(TranslationContext? program)
    {
        var loaded = _manager.Load(Path.Combine(Repo.Root, "extensions", "Examples", "PageProtect.cs"), program, out string? error);
        Assert.True(loaded != null, $"PageProtect.cs did not load: {error}");
        Assert.True(loaded!.Domain.TryImport<ITranslationService>(out var translation));
        return translation!;
    }

    [Fact]
    public void AnExtensionActsOnItsProgramsContextAndNoOther()
    {
        var t = LoadFor(_mine);
        Assert.True(t.ChangeProtection(_mine, Va, Page, Protection.Read));
        Assert.True(t.ExamineMapping(_mine, Va, out var info));
        Assert.Equal(Protection.Read, info.Protection);

        Assert.False(t.ChangeProtection(_other, Va, Page, Protection.Read));
        Assert.False(t.ExamineMapping(_other, Va, out _));
        Assert.False(t.RemoveMapping(_other, Va, Page));
        Assert.False(t.AddAnonymousMapping(_other, Va + Page, Page, Protection.Read));
        Assert.False(t.Discard(_other, Va, Page));
        Assert.Null(t.ForkCopyOnWrite(_other));
        t.Destroy(_other);
        t.Destroy(_mine);                       // not its to destroy either: the program's
        Assert.False(_other.Destroyed || _mine.Destroyed);
        Assert.True(_kernel.Translation.ExamineMapping(_other, Va, out var untouched));
        Assert.Equal(Protection.Read | Protection.Write, untouched.Protection);
    }

    [Fact]
    public void TwoProgramsExtensionsAreKeptApart()
    {
        var mine = LoadFor(_mine);
        var other = LoadFor(_other);
        Assert.True(other.ChangeProtection(_other, Va, Page, Protection.None));
        Assert.False(other.ChangeProtection(_mine, Va, Page, Protection.None));
        Assert.False(mine.ChangeProtection(_other, Va, Page, Protection.Read));
    }

    [Fact]
    public void WithoutAProgramAnExtensionHasOnlyTheContextsItMakes()
    {
        var t = LoadFor(null);
        Assert.False(t.ExamineMapping(_mine, Va, out _));
        var own = t.Create();
        Assert.True(t.AddAnonymousMapping(own, Va, Page, Protection.Read));
        var child = t.ForkCopyOnWrite(own);
        Assert.NotNull(child);
        Assert.True(t.ExamineMapping(child!, Va, out _));
        t.Destroy(own);
        Assert.True(own.Destroyed);
        Assert.False(t.ExamineMapping(own, Va, out _));
    }

    private const string ClaimsEveryFault = """
        using Spindle.Sdk;
        using Spindle.Sdk.Translation;
        public sealed class ClaimsEveryFault : IExtension
        {
            public void Initialize(IExtensionContext context)
            {
                var translation = context.Import<ITranslationService>();
                context.Dispatcher.Install(translation.ProtectionFault, static f => FaultResult.Resolved);
            }
        }
        """;

    // Loads ClaimsEveryFault for `program`; returns the load error, or null.
    private string? LoadClaimer(TranslationContext? program)
    {
        string file = Path.Combine(_home, "ClaimsEveryFault.cs");
        File.WriteAllText(file, ClaimsEveryFault);
        return _manager.Load(file, program, out string? error) is null ? error : null;
    }

    private FaultResult Fault(AddressSpace space) =>
        _kernel.Translation.ProtectionFault.Raise(new PageFault(space, Va, FaultAccess.Write, 0));

    [Fact]
    public void AnUnguardedFaultHandlerSeesOnlyItsProgramsFaults()
    {
        Assert.Equal(FaultResult.Unresolved, Fault(_other));
        Assert.Null(LoadClaimer(_mine));
        Assert.Equal(FaultResult.Resolved, Fault(_mine));      // its own program: the handler runs
        Assert.Equal(FaultResult.Unresolved, Fault(_other));   // another program: the kernel's guard keeps it out
    }

    [Fact]
    public void AnExtensionWithNoProgramMayNotHandleFaults()
    {
        string? error = LoadClaimer(null);
        Assert.NotNull(error);
        Assert.Contains("only for the program that loaded it", error);
        Assert.Equal(FaultResult.Unresolved, Fault(_mine));
    }
}
