namespace Spindle.Sdk.Strand;

/// <summary>
/// A slot of strand-local storage: on every user strand, one value that only the holder of this slot can read or
/// write (<see cref="Trap.IUserStrand.Get{T}"/>, <see cref="Trap.IUserStrand.Set{T}"/>). A domain gets its own slots
/// from <see cref="IStrandService.CreateSlot{T}"/>; the slot is a capability: another domain reaches the values only
/// if it is handed the slot itself. When the creating domain is destroyed its slots are revoked: reads find nothing
/// and writes throw.
/// </summary>
/// <typeparam name="T">What the slot holds.</typeparam>
public sealed class StrandSlot<T> where T : class
{
    internal StrandSlot(int index, string owner)
    {
        Index = index;
        Owner = owner;
    }

    /// <summary>The name of the domain that created the slot.</summary>
    public string Owner { get; }

    /// <summary>True once the creating domain was destroyed.</summary>
    public bool Revoked { get; internal set; }

    // The slot's place in each strand's slot array (reused after revocation; entries are matched by reference).
    internal int Index { get; }

    /// <inheritdoc/>
    public override string ToString() => $"strand slot {Index} of {Owner}";
}
