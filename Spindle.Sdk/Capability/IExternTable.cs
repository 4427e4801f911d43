using System.Diagnostics.CodeAnalysis;

namespace Spindle.Sdk.Capability;

/// <summary>
/// A user address space's table of externalized references: the small integers a user program
/// holds in place of kernel objects. Every use is type-checked; a revoked or forged number is an
/// error, never another object.
/// </summary>
public interface IExternTable
{
    /// <summary>Returns a new number for <paramref name="value"/>; throws <see cref="CapabilityException"/> (<see cref="CapabilityError.Full"/>) when the table is full.</summary>
    int Externalize(object value);

    /// <summary>Looks <paramref name="handle"/> up as a <typeparamref name="T"/>; returns why not if it is not one.</summary>
    CapabilityError TryGet<T>(int handle, [MaybeNullWhen(true)] out T value) where T : class;

    /// <summary>Revokes <paramref name="handle"/>; the number is never valid again (a reused slot gets a new generation).</summary>
    CapabilityError Revoke(int handle);
}

/// <summary>Why a capability operation failed.</summary>
public enum CapabilityError
{
    /// <summary>Success.</summary>
    None,
    /// <summary>The number was never issued by this table (forged, out of range, zero or negative).</summary>
    Invalid,
    /// <summary>The number was issued but has since been revoked.</summary>
    Revoked,
    /// <summary>The number names an object of another type.</summary>
    WrongType,
    /// <summary>No free slot is left.</summary>
    Full,
}

/// <summary>A capability operation failed; <see cref="Error"/> says why.</summary>
public sealed class CapabilityException : Exception
{
    /// <summary>Why the operation failed.</summary>
    public CapabilityError Error { get; }

    /// <summary>Creates the error for <paramref name="handle"/>.</summary>
    public CapabilityException(CapabilityError error, int handle)
        : base($"capability {handle}: {error}") => Error = error;
}
