using Spindle.Sdk.Trap;

namespace Spindle.Sdk.Strand;

/// <summary>
/// A slot of strand-local storage: on every user strand, one value that only the holder of this slot can read or
/// write. A domain gets its own slots from <see cref="IStrandService.CreateSlot{T}"/>; the slot is a capability:
/// another domain reaches the values only if it is handed the slot itself. When the creating domain is destroyed
/// its slots are revoked: reads find nothing and writes throw.
/// </summary>
public abstract class StrandSlot
{
    private protected StrandSlot(int index, string owner)
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

    /// <summary>True if <paramref name="value"/> may be stored in this slot (null, or of its type).</summary>
    internal abstract bool Admits(object? value);

    /// <inheritdoc/>
    public override string ToString() => $"strand slot {Index} of {Owner}";
}

/// <summary>A strand slot holding values of type <typeparamref name="T"/>; read and written with <see cref="Get"/> and <see cref="Set"/>.</summary>
/// <typeparam name="T">What the slot holds.</typeparam>
public sealed class StrandSlot<T> : StrandSlot where T : class
{
    internal StrandSlot(int index, string owner) : base(index, owner) { }

    /// <summary>The value this slot holds on <paramref name="strand"/>, or null (none set, or the slot was revoked).</summary>
    public T? Get(IUserStrand strand) => (T?)strand.GetSlot(this);

    /// <summary>Sets the value this slot holds on <paramref name="strand"/>; throws <see cref="StrandException"/> if the slot was revoked.</summary>
    public void Set(IUserStrand strand, T? value) => strand.SetSlot(this, value);

    internal override bool Admits(object? value) => value is null or T;
}
