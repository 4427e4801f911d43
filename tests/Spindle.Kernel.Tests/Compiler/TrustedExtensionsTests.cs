using Spindle.Kernel.Compiler;
using Spindle.Kernel.Domain;
using Spindle.Kernel.Tests.Extensions;
using Spindle.Kernel.Tests.Linux;
using Spindle.Sdk.Io;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Time;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>
/// The standard extensions (the Linux personality, the schedulers) go through the trusted compiler
/// like any other: no back door is needed to run them in the kernel.
/// </summary>
public sealed class TrustedExtensionsTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly ExtensionCompiler _compiler;

    public TrustedExtensionsTests() => _compiler = new ExtensionCompiler(_home.Path);

    public void Dispose() => _home.Dispose();

    private byte[] Build(string folder)
    {
        var source = ExtensionSource.Load(Repo.PathOf("extensions", folder), out string? error);
        Assert.True(source is not null, error);
        var result = _compiler.Build(source!);
        Assert.True(result.Succeeded, $"extensions/{folder} refused:\n" + string.Join("\n", result.Violations));
        Assert.Empty(ExtensionVerifier.Verify(result.Assembly!, _compiler.Key, ExtensionPolicy.Default));
        return result.Assembly!;
    }

    private Linker NewLinker() => new(new KernelDispatcher(),
        image => ExtensionVerifier.Verify(image, _compiler.Key, ExtensionPolicy.Default).Select(v => v.ToString()).ToList());

    [Fact]
    public void LinuxPersonality_IsAcceptedByTheTrustedCompiler() => Build("Linux");

    [Fact]
    public void Schedulers_AreAcceptedByTheTrustedCompiler() => Build("Schedulers");

    [Fact]
    public void LinuxPersonality_LoadsIntoADomain_AndAnswersASystemCallUnderTheMeter()
    {
        var linker = NewLinker();
        var domain = linker.Load("linux", Build("Linux"));
        Assert.True(domain.IsInitialized);
        var assembly = domain.Assembly!;
        Assert.NotSame(typeof(Spindle.Extensions.Linux.LinuxPersonality).Assembly, assembly);

        // Build the personality from the domain's own types; only Sdk interfaces cross the boundary.
        var servicesType = assembly.GetType("Spindle.Extensions.Linux.LinuxServices", throwOnError: true)!;
        var personalityType = assembly.GetType("Spindle.Extensions.Linux.LinuxPersonality", throwOnError: true)!;
        var identityType = assembly.GetType("Spindle.Extensions.Linux.Process.ProcessIdentity", throwOnError: true)!;
        object? personality = null, process = null;
        Assert.True(domain.Run(() =>
        {
            var services = Activator.CreateInstance(servicesType, new Spindle.Kernel.Services.HostFileSystem("/"),
                (IConsole)new FakeConsole(), (IClock)new FixedClock(), (IEntropySource)new CountingEntropy())!;
            personality = Activator.CreateInstance(personalityType, services, false)!;
            process = personalityType.GetMethod("CreateProcess")!.Invoke(personality,
                [Activator.CreateInstance(identityType, 4321, 1, 1000u, 1000u), "/bin/prog", "/", 0x40_0000UL, 0x100_0000_0000UL, 0x200_0000_0000UL]);
        }), domain.LastFault);

        var strand = new FakeStrand { Number = 172 /* getpid */ };
        var threadType = assembly.GetType("Spindle.Extensions.Linux.Process.LinuxThread", throwOnError: true)!;
        var slot = Activator.CreateInstance(typeof(Spindle.Sdk.Strand.StrandSlot<>).MakeGenericType(threadType),
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, null, [0, "test"], null)!;
        Assert.True(domain.Run(() =>
        {
            personalityType.GetMethod("UseThreadSlot")!.Invoke(personality, [slot]);
            personalityType.GetMethod("AdoptStrand")!.Invoke(personality, [strand, process]);
        }), domain.LastFault);
        var syscall = personalityType.GetMethod("Syscall")!;
        Assert.True(domain.Run(() => syscall.Invoke(personality, [strand])), domain.LastFault);
        Assert.Equal(4321, strand.Result);
        linker.Destroy(domain);
    }

    [Fact]
    public void StrideScheduler_LoadsIntoADomain_AndIsASchedulerPolicy()
    {
        var linker = NewLinker();
        var domain = linker.Load("schedulers", Build("Schedulers"));
        var type = domain.Assembly!.GetType("Spindle.Extensions.Schedulers.StrideScheduler", throwOnError: true)!;
        ISchedulerPolicy? policy = null;
        Assert.True(domain.Run(() => policy = (ISchedulerPolicy)Activator.CreateInstance(type, 10_000L, 100)!));
        Assert.Equal("stride", policy!.Name);
        linker.Destroy(domain);
    }
}
