namespace Spindle.Sdk.Io;

/// <summary>Cryptographically strong random bytes (the machine's entropy device).</summary>
public interface IEntropySource
{
    /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
    void Fill(Span<byte> buffer);
}
