using System.Security.Cryptography;

namespace Spindle.Kernel.Compiler;

/// <summary>The Spindle home directory: $SPINDLE_HOME, else ~/.spindle.</summary>
public static class SpindleHome
{
    /// <summary>The directory the kernel key and the compile cache live under.</summary>
    public static string Default =>
        Environment.GetEnvironmentVariable("SPINDLE_HOME") is { Length: > 0 } h ? h
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".spindle");
}

/// <summary>
/// The kernel's signing key (ECDsa P-256). Extensions the kernel compiled carry its signature; the
/// private key lives in &lt;home&gt;/kernel-key.pem, created on first use readable by the owner only.
/// </summary>
public sealed class KernelKey : IDisposable
{
    /// <summary>File name of the key under the Spindle home directory.</summary>
    public const string FileName = "kernel-key.pem";

    private readonly ECDsa _key;

    /// <summary>SHA-256 of the public key (SubjectPublicKeyInfo): names the key inside a signature.</summary>
    public byte[] KeyId { get; }

    private KernelKey(ECDsa key)
    {
        _key = key;
        KeyId = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>A fresh key that is never stored (tests, foreign kernels).</summary>
    public static KernelKey CreateEphemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>
    /// Loads the key under <paramref name="home"/>, creating the directory (0700) and the key (0600)
    /// on first use. Concurrent first uses agree on one key.
    /// </summary>
    /// <exception cref="IOException">The home directory or key cannot be read or created.</exception>
    /// <exception cref="CryptographicException">The key file is not a P-256 private key.</exception>
    public static KernelKey LoadOrCreate(string home)
    {
        string path = Path.Combine(home, FileName);
        if (!File.Exists(path))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(home);
            else Directory.CreateDirectory(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var w = new StreamWriter(temp, options)) w.Write(fresh.ExportPkcs8PrivateKeyPem());
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); }   // another process created it first
        }
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        if (key.KeySize != 256) { key.Dispose(); throw new CryptographicException($"{path} is not a P-256 key"); }
        return new KernelKey(key);
    }

    /// <summary>Signs the SHA-256 of <paramref name="data"/>; returns a 64-byte IEEE P1363 signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256);

    /// <summary>True if <paramref name="signature"/> is this key's signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(data, signature, HashAlgorithmName.SHA256);

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}
