using System.Security.Cryptography;
using System.Text;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// Signed extension assemblies under &lt;home&gt;/cache/extensions, keyed by the SHA-256 of the sources,
/// the compiler build (kernel module id and Roslyn version) and the policy. A hit is verified
/// (signature and metadata policy) before it is used, so a damaged entry is rebuilt, not loaded.
/// </summary>
internal sealed class CompileCache(string home)
{
    private readonly string _dir = Path.Combine(home, "cache", "extensions");

    /// <summary>The cache key for <paramref name="source"/> compiled under <paramref name="policy"/>.</summary>
    public static string KeyOf(ExtensionSource source, ExtensionPolicy policy)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s)
        {
            byte[] b = Encoding.UTF8.GetBytes(s);
            h.AppendData(BitConverter.GetBytes(b.Length));
            h.AppendData(b);
        }
        Add("spindle-extension-cache-v1");
        Add(ExtensionPolicy.KernelBuildId);
        Add(policy.Fingerprint);
        Add(source.Name);
        foreach (var (path, text) in source.Files) { Add(path); Add(text); }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>Returns the cached image for <paramref name="key"/>, or null (missing or unreadable).</summary>
    public byte[]? TryGet(string key)
    {
        try { return File.ReadAllBytes(PathOf(key)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Stores an image atomically; a cache that cannot be written is skipped, not fatal.</summary>
    public void Put(string key, byte[] image)
    {
        try
        {
            Directory.CreateDirectory(_dir);
            string temp = PathOf(key) + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, image);
            File.Move(temp, PathOf(key), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private string PathOf(string key) => Path.Combine(_dir, key + ".dll");
}
