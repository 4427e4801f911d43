namespace Spindle.Sdk.Trap;

/// <summary>Where Spindle's own system-call numbers start.</summary>
public static class SpindleCalls
{
    /// <summary>
    /// The first of Spindle's own numbers. Below it, numbers are the personality's (Linux's table); from it
    /// up, a number belongs to whoever claimed it through <see cref="ISyscallClaims"/> (the kernel's
    /// spindle_ext_load and spindle_ext_unload, or an extension's calls).
    /// </summary>
    public const long First = 1000;
}

/// <summary>
/// The kernel's registry of Spindle's own system-call numbers (<see cref="SpindleCalls.First"/> and up), as
/// one domain imports it: a claim is made for that domain, and released when the domain is destroyed (its
/// extension unloaded). Claim the numbers a handler answers before installing it on the system-call
/// event, so that two extensions cannot answer the same number unknowingly. Called on the CPU's thread.
/// </summary>
/// <remarks>
/// Limitations: the registry records who answers a number; it does not yet refuse an install whose guard
/// names a number the domain did not claim (an extension that never claims is not stopped by it).
/// </remarks>
public interface ISyscallClaims
{
    /// <summary>
    /// Claims <paramref name="number"/> for this domain under <paramref name="name"/> (what the call is, as a
    /// trace would print it). Claiming a number this domain already holds again is allowed and changes nothing.
    /// Throws <see cref="SyscallClaimException"/> if another owner holds it (the message names the holder), or
    /// if the number is below <see cref="SpindleCalls.First"/> or the name is empty.
    /// </summary>
    void Claim(long number, string name);

    /// <summary>Who holds <paramref name="number"/>, as "owner (call name)"; null if nobody does.</summary>
    string? HolderOf(long number);
}

/// <summary>A system-call number claim the kernel refused; the message says why and who holds the number.</summary>
public sealed class SyscallClaimException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public SyscallClaimException(string message) : base(message) { }
}
