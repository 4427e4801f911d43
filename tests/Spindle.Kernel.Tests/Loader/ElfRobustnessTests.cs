using System.Buffers.Binary;
using Spindle.Kernel.Loader;
using Spindle.Kernel.PhysAddr;
using Spindle.Kernel.Translation;
using Spindle.Machine.Memory;

namespace Spindle.Kernel.Tests.Loader;

/// <summary>Random corruptions of valid ELFs: Load succeeds or throws ElfException, never anything else,
/// and a failed load leaves every frame free.</summary>
public sealed class ElfRobustnessTests
{
    // Header fields and program header fields (offset within the header, size) worth corrupting.
    private static readonly (int At, int Size)[] HeaderFields =
        [(4, 1), (5, 1), (6, 1), (16, 2), (18, 2), (20, 4), (24, 8), (32, 8), (54, 2), (56, 2)];
    private static readonly (int At, int Size)[] PhdrFields = [(0, 4), (4, 4), (8, 8), (16, 8), (32, 8), (40, 8), (48, 8)];

    private static ulong Interesting(Random rng, byte[] file) => rng.Next(14) switch
    {
        0 => 0, 1 => 1, 2 => ulong.MaxValue, 3 => ulong.MaxValue - 0xfff, 4 => PageTable.UserLimit,
        5 => PageTable.UserLimit - 0x1000, 6 => (ulong)file.Length, 7 => (ulong)file.Length + 1, 8 => 1UL << 32,
        9 => 0x7fff_ffff, 10 => 0x1000, 11 => 0xfff, 12 => (ulong)rng.Next(0, 0x20000),
        _ => (ulong)rng.NextInt64(),
    };

    // Applies 1 to 4 corruptions: a field set to an interesting value, a random byte in the headers,
    // a random byte anywhere, or a truncation.
    private static byte[] Corrupt(byte[] valid, Random rng)
    {
        byte[] f = (byte[])valid.Clone();
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(valid.AsSpan(56));
        int headersEnd = 64 + 56 * phnum;
        for (int k = rng.Next(1, 5); k > 0; k--)
        {
            switch (rng.Next(5))
            {
                case 0:
                    var (at, size) = HeaderFields[rng.Next(HeaderFields.Length)];
                    Write(f, at, size, Interesting(rng, f));
                    break;
                case 1:
                    var (pat, psize) = PhdrFields[rng.Next(PhdrFields.Length)];
                    Write(f, 64 + 56 * rng.Next(phnum) + pat, psize, Interesting(rng, f));
                    break;
                case 2: f[rng.Next(Math.Min(headersEnd, f.Length))] = (byte)rng.Next(256); break;
                case 3: f[rng.Next(f.Length)] ^= (byte)(1 << rng.Next(8)); break;
                default: return f[..rng.Next(0, f.Length)];
            }
        }
        return f;
    }

    private static void Write(byte[] f, int at, int size, ulong v)
    {
        if (at + size > f.Length) return;
        for (int i = 0; i < size; i++) f[at + i] = (byte)(v >> (8 * i));
    }

    [Theory]
    [InlineData("static freestanding", 4000)]
    [InlineData("static-pie freestanding", 4000)]
    [InlineData("static glibc", 600)]
    public void CorruptedFilesLoadOrFailCleanly(string which, int iterations)
    {
        string path = which switch
        {
            "static glibc" => Toolchain.StaticHello,
            "static freestanding" => Toolchain.StaticFreestanding,
            _ => Toolchain.StaticPieFreestanding,
        };
        byte[] valid = File.ReadAllBytes(path);
        LoadsOrFailsCleanly(iterations, rng => (Corrupt(valid, rng), null));
    }

    /// <summary>A dynamically linked program and the cross libc's dynamic loader, one of the two corrupted (a quarter of
    /// the corrupted programs get a random program header turned into PT_INTERP, pointing anywhere).</summary>
    [Theory]
    [InlineData("program", 600)]
    [InlineData("interpreter", 600)]
    public void CorruptedDynamicProgramsAndInterpretersLoadOrFailCleanly(string corrupted, int iterations)
    {
        byte[] program = File.ReadAllBytes(Toolchain.DynamicHello), loader = File.ReadAllBytes(Toolchain.DynamicLoader);
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(program.AsSpan(56));
        LoadsOrFailsCleanly(iterations, rng =>
        {
            if (corrupted == "interpreter") return (program, Corrupt(loader, rng));
            byte[] f = Corrupt(program, rng);
            if (rng.Next(4) == 0) Write(f, 64 + 56 * rng.Next(phnum), 4, 3 /* PT_INTERP */);
            return (f, loader);
        });
    }

    // Loads `iterations` seeded cases: each loads or throws ElfException, never anything else, and leaves every frame free.
    private static void LoadsOrFailsCleanly(int iterations, Func<Random, (byte[] File, byte[]? Interpreter)> next)
    {
        using var memory = new PhysicalMemory(1024);
        var frames = new FrameAllocator(memory);
        var rng = new Random(20260);
        int loaded = 0, refused = 0;
        for (int i = 0; i < iterations; i++)
        {
            var (file, interpreter) = next(rng);
            using var space = new AddressSpace(frames);
            try
            {
                ElfLoader.Load(file, space, interpreter, 0x3f_ff6f_f000);
                loaded++;
            }
            catch (ElfException)
            {
                refused++;
                if (space.PageTable.PresentPages != 0 || frames.FreeFrames != memory.FrameCount)
                    Assert.Fail($"iteration {i}: a refused load left {space.PageTable.PresentPages} pages mapped");
            }
            catch (Exception e)
            {
                string dump = Path.Combine(Path.GetTempPath(), $"spindle-elf-crash-{i}.elf");
                File.WriteAllBytes(dump, file);
                if (interpreter != null) File.WriteAllBytes(dump + ".interp", interpreter);
                Assert.Fail($"iteration {i}: {e.GetType().Name} escaped the loader (file saved to {dump}): {e}");
            }
            space.Dispose();
            Assert.Equal(memory.FrameCount, frames.FreeFrames);
        }
        Assert.True(loaded > 0 && refused > 0, $"corruptions too weak or too strong: {loaded} loaded, {refused} refused");
    }
}
