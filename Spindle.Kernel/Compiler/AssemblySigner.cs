using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// Embeds the kernel's signature in an extension assembly, keeping it a loadable .dll: the compiler
/// adds a fixed-size private manifest resource of zeros; signing hashes the whole image with that
/// slot zeroed and writes [magic | key id | signature] into it; verifying zeroes it again.
/// </summary>
internal static class AssemblySigner
{
    public const string ResourceName = "Spindle.Signature";
    public const int SlotSize = 128;
    private static ReadOnlySpan<byte> Magic => "SPNDLSG1"u8;
    private const int KeyIdAt = 8, SigAt = 40, SigSize = 64;

    /// <summary>The zero-filled resource the compiler embeds, to be patched by <see cref="Sign"/>.</summary>
    public static ResourceDescription Placeholder() =>
        new(ResourceName, () => new MemoryStream(new byte[SlotSize]), isPublic: false);

    /// <summary>Signs <paramref name="image"/> in place. Returns an error if it has no empty signature slot.</summary>
    public static string? Sign(byte[] image, KernelKey key)
    {
        if (FindSlot(image, out string? error) is not { } at) return error;
        if (image.AsSpan(at, SlotSize).ContainsAnyExcept((byte)0)) return "the signature slot is already filled";
        byte[] sig = key.Sign(image);
        Magic.CopyTo(image.AsSpan(at));
        key.KeyId.CopyTo(image.AsSpan(at + KeyIdAt));
        sig.CopyTo(image.AsSpan(at + SigAt));
        return null;
    }

    /// <summary>Returns null if <paramref name="image"/> carries a valid signature by <paramref name="key"/>, else why not.</summary>
    public static string? CheckSignature(ReadOnlySpan<byte> image, KernelKey key)
    {
        if (FindSlot(image, out string? error) is not { } at) return error;
        var slot = image.Slice(at, SlotSize);
        if (!slot.StartsWith(Magic)) return "not signed: the signature slot is empty or damaged";
        if (!slot.Slice(KeyIdAt, 32).SequenceEqual(key.KeyId)) return "not signed by this kernel's key";
        if (slot[(SigAt + SigSize)..].ContainsAnyExcept((byte)0)) return "tampered: the signature slot was modified";
        byte[] copy = image.ToArray();
        copy.AsSpan(at, SlotSize).Clear();
        return key.Verify(copy, slot.Slice(SigAt, SigSize)) ? null : "tampered: the contents do not match the kernel's signature";
    }

    // File offset of the signature slot's bytes, or null with the reason.
    private static int? FindSlot(ReadOnlySpan<byte> image, out string? error)
    {
        error = null;
        try
        {
            using var pe = new PEReader(System.Collections.Immutable.ImmutableArray.Create(image));
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not { } cor) { error = "not a .NET assembly"; return null; }
            var md = pe.GetMetadataReader();
            int? found = null;
            foreach (var h in md.ManifestResources)
            {
                var r = md.GetManifestResource(h);
                if (md.GetString(r.Name) != ResourceName) continue;
                if (found is not null || !r.Implementation.IsNil) { error = "malformed signature resource"; return null; }
                if (!pe.PEHeaders.TryGetDirectoryOffset(cor.ResourcesDirectory, out int dir)) { error = "malformed resources directory"; return null; }
                long at = (long)dir + r.Offset;
                if (at < 0 || at + 4 + SlotSize > image.Length || BitConverter.ToInt32(image.Slice((int)at, 4)) != SlotSize)
                { error = "malformed signature resource"; return null; }
                found = (int)at + 4;
            }
            if (found is null) error = "not signed: the assembly has no Spindle signature";
            return found;
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException)
        { error = $"not a valid assembly image: {e.Message}"; return null; }
    }
}
