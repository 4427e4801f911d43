using Spindle.Kernel.Domain;
using Spindle.Kernel.Trap;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Extensions;

/// <summary>
/// The system-call number registry as one extension domain imports it: claims are made in the domain's
/// name, and the domain's first claim ties a release to the domain, so that every number it holds is given
/// back when it is destroyed (its extension unloaded). Called on the thread that runs the domain's code.
/// </summary>
internal sealed class DomainSyscallClaims(SyscallClaims registry, ProtectionDomain domain) : ISyscallClaims
{
    private int _tracked;   // 1 once the release is tied to the domain

    public void Claim(long number, string name)
    {
        if (!registry.Claim(domain, number, name)) return;
        if (Interlocked.Exchange(ref _tracked, 1) == 0) domain.Track(new Release(registry, domain));
    }

    public string? HolderOf(long number) => registry.HolderOf(number);

    // Gives the domain's numbers back when the domain is destroyed (at once if it already was).
    private sealed class Release(SyscallClaims registry, ProtectionDomain domain) : IDisposable
    {
        public void Dispose() => registry.ReleaseAll(domain);
    }
}
