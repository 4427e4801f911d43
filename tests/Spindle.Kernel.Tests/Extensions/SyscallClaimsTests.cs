using Spindle.Kernel.Boot;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Trap;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Tests.Extensions;

/// <summary>
/// Spindle's own system-call numbers are claimed through the kernel: a second claim of a taken number is
/// refused with a message naming the holder (kernel component or extension), and an extension's claims
/// are released when it is unloaded.
/// </summary>
public sealed class SyscallClaimsTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly KernelRoot _kernel = new(new KernelOptions(MemoryBytes: 16UL << 20));
    private readonly ExtensionManager _manager;

    public SyscallClaimsTests() => _manager = ExtensionManager.ForKernel(_kernel, _home.Path);

    public void Dispose()
    {
        _kernel.Dispose();
        _home.Dispose();
    }

    // An extension that claims `number` as `name` and answers it with 7.
    private string Claimer(string file, long number, string name)
    {
        Directory.CreateDirectory(_home.Path);
        string path = Path.Combine(_home.Path, file);
        File.WriteAllText(path, $$"""
            using Spindle.Sdk;
            using Spindle.Sdk.Trap;

            public sealed class Claimer : IExtension
            {
                public void Initialize(IExtensionContext context)
                {
                    context.Import<ISyscallClaims>().Claim({{number}}, "{{name}}");
                    context.Dispatcher.Install(context.Import<ITrapEvents>().Syscall, Answer, t => t.Number == {{number}});
                }

                private bool Answer(SyscallTrap trap)
                {
                    trap.Strand.Result = 7;
                    return true;
                }
            }
            """);
        return path;
    }

    [Fact]
    public void TheRegistry_RefusesASecondOwner_NamingTheHolder_AndReleasesAnOwnersNumbers()
    {
        var claims = new SyscallClaims();
        var a = new KernelOwner("alpha");
        var b = new KernelOwner("beta");
        Assert.True(claims.Claim(a, 1500, "frob"));
        Assert.False(claims.Claim(a, 1500, "frob"));                  // the holder again: nothing changes
        var refused = Assert.Throws<SyscallClaimException>(() => claims.Claim(b, 1500, "twiddle"));
        Assert.Contains("1500", refused.Message);
        Assert.Contains("alpha (frob) holds it", refused.Message);
        Assert.Contains("beta", refused.Message);
        Assert.Throws<SyscallClaimException>(() => claims.Claim(b, 172, "getpid"));   // Linux's range
        Assert.Throws<SyscallClaimException>(() => claims.Claim(b, 1501, ""));
        Assert.Equal("alpha (frob)", claims.HolderOf(1500));

        Assert.Equal(1, claims.ReleaseAll(a));
        Assert.Null(claims.HolderOf(1500));
        Assert.True(claims.Claim(b, 1500, "twiddle"));
    }

    [Fact]
    public void ASecondExtensionClaimingATakenNumber_IsRefused_WithAMessageNamingTheHolder()
    {
        var first = _manager.Load(Claimer("First.cs", 1500, "frob"), out string? error);
        Assert.True(first is not null, error);
        Assert.Equal($"{first!.Domain.Name} (frob)", _kernel.SyscallClaims.HolderOf(1500));

        var second = _manager.Load(Claimer("Second.cs", 1500, "twiddle"), out error);
        Assert.Null(second);
        Assert.Contains("system call 1500 (twiddle) refused", error);
        Assert.Contains($"{first.Domain.Name} (frob) holds it", error);
        Assert.Equal($"{first.Domain.Name} (frob)", _kernel.SyscallClaims.HolderOf(1500));
    }

    [Fact]
    public void UnloadingTheHolder_ReleasesItsNumbers()
    {
        string path = Claimer("Frob.cs", 1500, "frob");
        var first = _manager.Load(path, out string? error);
        Assert.True(first is not null, error);
        _manager.Unload(first!);
        Assert.Null(_kernel.SyscallClaims.HolderOf(1500));

        var again = _manager.Load(path, out error);
        Assert.True(again is not null, error);
        Assert.Equal($"{again!.Domain.Name} (frob)", _kernel.SyscallClaims.HolderOf(1500));
    }

    [Fact]
    public void TheKernelsExtensionCalls_AreClaimed_AndAnExtensionCannotTakeThem()
    {
        _ = new ProgramExtensions(_kernel, _manager);
        Assert.Equal("ext-calls (spindle_ext_load)", _kernel.SyscallClaims.HolderOf(ProgramExtensions.LoadCall));
        Assert.Equal("ext-calls (spindle_ext_unload)", _kernel.SyscallClaims.HolderOf(ProgramExtensions.UnloadCall));

        var thief = _manager.Load(Claimer("Thief.cs", ProgramExtensions.LoadCall, "steal"), out string? error);
        Assert.Null(thief);
        Assert.Contains("ext-calls (spindle_ext_load) holds it", error);
    }
}
