using System.Buffers.Binary;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.BadInput;

/// <summary>
/// Builds broken executables from a good cross-compiled one: truncations at structural boundaries, a
/// wrong machine, class, byte order, type or magic, and files that are not RISC-V ELF executables at all.
/// Each case is written once into .spindle-cache/badelf and named for what is wrong with it.
/// </summary>
public static class MalformedElf
{
    /// <summary>The names of every case, for a theory.</summary>
    public static IEnumerable<string> Names => Makers.Keys.Order(StringComparer.Ordinal);

    private static readonly Dictionary<string, Func<byte[]>> Makers = new()
    {
        ["empty"] = () => [],
        ["truncated-in-ident"] = () => Good()[..10],
        ["truncated-in-header"] = () => Good()[..40],
        ["truncated-in-program-headers"] = () => Good()[..(PhOff(Good()) + 56 + 20)],
        ["truncated-in-load-segment"] = () => Good()[..MidFirstLoad(Good())],
        ["machine-x86-64"] = () => Patch(Good(), b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), 62)),
        ["class-32-bit"] = () => Patch(Good(), b => b[4] = 1),
        ["big-endian"] = () => Patch(Good(), b => b[5] = 2),
        ["bad-magic"] = () => Patch(Good(), b => b[1] = (byte)'X'),
        ["relocatable-object"] = () => File.ReadAllBytes(Compile(object_: true)),
        ["program-header-offset-past-end"] = () => Patch(Good(), b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(32), (ulong)b.Length + 4096)),
        ["program-header-count-huge"] = () => Patch(Good(), b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(56), 0xffff)),
        ["load-segment-beyond-file"] = () => Patch(Good(), b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(FirstLoad(b) + 32), 1UL << 40)),
        ["shell-script"] = () => "#!/bin/sh\necho hello\n"u8.ToArray(),
        ["host-x86-64-true"] = () => File.ReadAllBytes(HostTrue()),
        ["random-garbage"] = () => Garbage(4096, prefix: []),
        ["garbage-after-elf-magic"] = () => Garbage(4096, prefix: [0x7f, (byte)'E', (byte)'L', (byte)'F']),
    };

    /// <summary>Writes case <paramref name="name"/> to a file (once) and returns its path.</summary>
    public static string Path(string name)
    {
        string dir = global::System.IO.Path.Combine(Repo.Cache, "badelf");
        Directory.CreateDirectory(dir);
        string path = global::System.IO.Path.Combine(dir, name);
        File.WriteAllBytes(path, Makers[name]());
        return path;
    }

    /// <summary>The path of the good program every case is made from (prints "hello", exits 0).</summary>
    public static string GoodPath() => Compile();

    private static byte[] Good() => File.ReadAllBytes(Compile());

    // Cross-compiles the small hello program (static executable, dynamic executable, or object file).
    private static string Compile(bool object_ = false)
    {
        string dir = global::System.IO.Path.Combine(Repo.Cache, "src");
        Directory.CreateDirectory(dir);
        string src = global::System.IO.Path.Combine(dir, "badelf_hello.c");
        File.WriteAllText(src, "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n");
        return CrossCompiler.Compile(src, object_ ? ["-c"] : []);
    }

    // The host's /bin/true (or /usr/bin/true): an x86-64 (or at least non-RISC-V) ELF.
    private static string HostTrue() =>
        File.Exists("/bin/true") ? "/bin/true" : Tools.Require("true", "coreutils");

    private static int PhOff(byte[] b) => (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(32));

    // Returns the file offset of the first PT_LOAD program header entry.
    private static int FirstLoad(byte[] b)
    {
        int off = PhOff(b), n = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(56));
        for (int i = 0; i < n; i++, off += 56)
            if (BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(off)) == 1) return off;
        throw new InvalidOperationException("the good program has no PT_LOAD segment");
    }

    // A file offset halfway through the file contents of the largest-offset PT_LOAD segment's data.
    private static int MidFirstLoad(byte[] b)
    {
        int ph = FirstLoad(b);
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(ph + 8));
        ulong filesz = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(ph + 32));
        return (int)(offset + filesz / 2);
    }

    private static byte[] Patch(byte[] b, Action<byte[]> edit) { edit(b); return b; }

    private static byte[] Garbage(int n, byte[] prefix)
    {
        var b = new byte[n];
        new Random(1995).NextBytes(b);
        prefix.CopyTo(b, 0);
        return b;
    }
}
