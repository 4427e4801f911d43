using Spindle.Kernel.Boot;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Tests.Linux;
using Spindle.Machine.Devices;

namespace Spindle.Kernel.Tests.Boot;

/// <summary>
/// The system builder: a described system runs its first program through the linked personality (output and
/// exit status), devices are attached to the interrupt lines, and the ordering rules are enforced with clear errors.
/// </summary>
public sealed class SystemBuilderTests(TestHome home) : IClassFixture<TestHome>
{
    private const ulong Code = 0x10000;

    // auipc a1, 0; addi a1, a1, 36; li a0, 1; li a2, 6; li a7, 64 (write); ecall; li a0, 3; li a7, 94 (exit_group); ecall;
    // then "hello\n" at 36.
    private static readonly uint[] Hello = [0x00000597, 0x02458593, 0x00100513, 0x00600613, 0x04000893, 0x00000073,
        0x00300513, 0x05E00893, 0x00000073];

    private static byte[] HelloCode()
    {
        var code = new byte[Hello.Length * 4 + 6];
        Buffer.BlockCopy(Hello, 0, code, 0, Hello.Length * 4);
        "hello\n"u8.CopyTo(code.AsSpan(Hello.Length * 4));
        return code;
    }

    private SystemDescription Describe(FakeConsole console) => new()
    {
        MemoryBytes = 16 << 20,
        Personality = "Linux",
        SpindleHome = home.Path,
        Console = console,
        ExtensionLog = TextWriter.Null,
        Program = new FirstProgram(new ProgramImage.Code(HelloCode(), Code, 0x100000, 0x200000, 0x400000), "/hello", ["/hello"], []),
    };

    [Fact]
    public void ABuiltSystemRunsItsFirstProgramToItsExitStatus()
    {
        var console = new FakeConsole();
        using var system = SystemBuilder.Build(Describe(console));
        Assert.False(system.HasExited);            // nothing runs before Run
        Assert.Equal(3, system.Run());
        Assert.True(system.HasExited);
        Assert.Equal(3, system.ExitStatus);
        Assert.Equal("hello\n", console.OutText);
        Assert.Equal(0, system.Kernel.Users.LiveCount);
        Assert.NotNull(system.ExtensionCalls);
    }

    [Fact]
    public void TheConsoleAndTheDevicesAreAttachedToTheInterruptLines()
    {
        var device = new ProbeDevice();
        using var system = SystemBuilder.Build(Describe(new FakeConsole()) with { Devices = [device] });
        Assert.Same(system.Kernel.Lines, device.AttachedTo);
        Assert.Equal("probe", system.Kernel.Lines.NameOf(device.InterruptLine));
    }

    [Fact]
    public void ABuilderBuildsOnce()
    {
        var builder = new SystemBuilder(Describe(new FakeConsole()));
        using (builder.Build()) { }
        var again = Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("already built", again.Message);
    }

    [Fact]
    public void WithoutAPersonalityTheBuildIsRefusedBeforeAnythingIsBuilt()
    {
        var e = Assert.Throws<BootException>(() => SystemBuilder.Build(Describe(new FakeConsole()) with { Personality = null }));
        Assert.Contains("no personality", e.Message);
        Assert.False(e.BadProgram);
    }

    [Fact]
    public void WithoutAFirstProgramTheBuildIsRefused()
    {
        var e = Assert.Throws<BootException>(() => SystemBuilder.Build(Describe(new FakeConsole()) with { Program = null }));
        Assert.Contains("no first program", e.Message);
    }

    [Fact]
    public void ExtensionsWithoutTheExtensionCallsAreRefused()
    {
        var e = Assert.Throws<BootException>(() => SystemBuilder.Build(Describe(new FakeConsole()) with { ExtensionCalls = false, Extensions = ["x.cs"] }));
        Assert.Contains("extension calls are off", e.Message);
    }

    [Fact]
    public void AProgramThatDoesNotLoadIsABadProgram()
    {
        var d = Describe(new FakeConsole());
        var e = Assert.Throws<BootException>(() => SystemBuilder.Build(d with { Program = d.Program! with { Image = new ProgramImage.Elf("#!/bin/sh\n"u8.ToArray()) } }));
        Assert.True(e.BadProgram);
        Assert.Equal("/hello", e.Subject);
    }

    [Fact]
    public void AMissingPersonalityNamesItself()
    {
        var e = Assert.Throws<BootException>(() => SystemBuilder.Build(Describe(new FakeConsole()) with { Personality = "NoSuchPersonality" }));
        Assert.Equal("NoSuchPersonality personality", e.Subject);
        Assert.False(e.BadProgram);
    }

    private sealed class ProbeDevice : IDevice
    {
        public InterruptLines? AttachedTo;
        public string Name => "probe";
        public int InterruptLine { get; private set; } = -1;
        public void Attach(InterruptLines lines)
        {
            AttachedTo = lines;
            InterruptLine = lines.Claim(Name, () => { });
        }
    }
}
