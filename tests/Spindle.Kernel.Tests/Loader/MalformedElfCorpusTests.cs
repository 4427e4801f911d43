using Spindle.Kernel.Loader;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.Loader;

public sealed class MalformedElfCorpusTests
{
    private static readonly Lazy<IReadOnlyList<MalformedElfCorpus.Case>> s_corpus = new(() => MalformedElfCorpus.Build(
        File.ReadAllBytes(Toolchain.StaticHello), File.ReadAllBytes(Toolchain.DynamicHello), File.ReadAllBytes(HostBinary)));

    private const string HostBinary = "/bin/true";

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in s_corpus.Value) names.Add(c.Name);
        return names;
    }

    [Fact]
    public void BaseFileLoads()
    {
        using var memory = new PhysicalMemory(4096);
        using var space = new AddressSpace(new FrameAllocator(memory));
        ElfLoader.Load(File.ReadAllBytes(Toolchain.StaticHello), space);
        Assert.True(space.PageTable.PresentPages > 0);
    }

    [Theory, MemberData(nameof(CaseNames))]
    public void IsRefusedWithItsMessageAndNothingMapped(string name)
    {
        var c = s_corpus.Value.Single(x => x.Name == name);
        using var memory = new PhysicalMemory(4096);
        var frames = new FrameAllocator(memory);
        using var space = new AddressSpace(frames);
        var e = Assert.Throws<ElfException>(() => ElfLoader.Load(c.Bytes, space));
        Assert.Contains(c.ExpectedMessage, e.Message);
        Assert.Equal(c.Failure, e.Failure);
        Assert.Equal(0, space.PageTable.PresentPages);
        Assert.Equal(memory.FrameCount, frames.FreeFrames);
    }

    [Fact]
    public void WritesTheCorpusForOtherTools()
    {
        string dir = Environment.GetEnvironmentVariable("SPINDLE_ELF_CORPUS") is { Length: > 0 } d
            ? d : Path.Combine(Path.GetTempPath(), $"spindle-elf-corpus-{Environment.ProcessId}");
        MalformedElfCorpus.WriteTo(dir, s_corpus.Value);
        string[] manifest = File.ReadAllLines(Path.Combine(dir, "MANIFEST.tsv"));
        Assert.Equal(s_corpus.Value.Count, manifest.Length);
        foreach (string line in manifest)
        {
            string[] f = line.Split('\t');
            using var memory = new PhysicalMemory(4096);
            using var space = new AddressSpace(new FrameAllocator(memory));
            var e = Assert.Throws<ElfException>(() => ElfLoader.Load(File.ReadAllBytes(Path.Combine(dir, f[0])), space));
            Assert.Contains(f[1], e.Message);
        }
        if (Environment.GetEnvironmentVariable("SPINDLE_ELF_CORPUS") is not { Length: > 0 }) Directory.Delete(dir, recursive: true);
    }
}
