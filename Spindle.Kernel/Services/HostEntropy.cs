using System.Security.Cryptography;
using Spindle.Sdk.Io;

namespace Spindle.Kernel.Services;

/// <summary>Random bytes from the host's cryptographic generator.</summary>
public sealed class HostEntropy : IEntropySource
{
    public void Fill(Span<byte> buffer) => RandomNumberGenerator.Fill(buffer);
}
