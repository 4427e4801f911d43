namespace Spindle.Kernel.Compiler;

/// <summary>
/// What a call to one base-library member costs the meter. The instrumenter reads it at each call site
/// and charges the meter before the call (see <c>Meter.Charge</c>): the sizes named by the flags are
/// summed into fuel units, and, for <see cref="Allocates"/>, into bytes checked against the call's
/// allocation budget (8 bytes per unit) before the member can allocate them.
/// </summary>
[Flags]
internal enum Cost
{
    /// <summary>Bounded work and allocation whatever the arguments: no charge.</summary>
    Constant = 0,
    /// <summary>Work grows with the receiver's size (string or StringBuilder length, array or span length, collection count).</summary>
    This = 1,
    /// <summary>Work grows with the sizes of the sized arguments (strings, arrays, spans, StringBuilders, collections).</summary>
    Args = 2,
    /// <summary>Work grows with the value of its integer arguments named like a size (capacity, count, length, totalWidth, repeatCount, newSize, minimumLength).</summary>
    Count = 4,
    /// <summary>Allocates in proportion to what it is charged: the bytes are checked against the allocation budget before the call.</summary>
    Allocates = 8,
    /// <summary>Work is the receiver's size times the arguments' sizes plus one (string.Replace, where each match may expand).</summary>
    Product = 16,
    /// <summary>Array arguments are sized by their elements too (strings joined or concatenated), not only by their length.</summary>
    Elements = 32,
}

/// <summary>
/// The allowed base-library types and, member by member, what each costs (the issue's "charged for it or left
/// out of the allowed surface"). Filled in by <c>ApiCostTable</c>.
/// </summary>
internal static partial class ApiCosts
{
    /// <summary>
    /// The cost of <paramref name="member"/> (metadata name: <c>.ctor</c>, <c>get_Length</c>, <c>op_Equality</c>) of the
    /// base-library type <paramref name="typeFullName"/> (namespace-qualified metadata name with arity, nested types with '+').
    /// Returns null when the table does not price that member (the caller then treats it as <see cref="Cost.Constant"/>
    /// if ApiRules allowed it).
    /// </summary>
    public static Cost? Of(string typeFullName, string member) =>
        !Table.TryGetValue(typeFullName, out var members) ? null
        : members.TryGetValue(member, out var cost) || members.TryGetValue(AnyMember, out cost) ? cost : null;

    /// <summary>
    /// True if <paramref name="typeFullName"/> is in the table: an allowed base-library type whose every member
    /// the table classifies (a member it does not name is not allowed).
    /// </summary>
    public static bool Covers(string typeFullName) => Table.ContainsKey(typeFullName);

    /// <summary>Every type in the table, nested types with '+'.</summary>
    public static IEnumerable<string> Types => Table.Keys;

    /// <summary>The member names the table lists for <paramref name="typeFullName"/> (the wildcard included), or none.</summary>
    public static IEnumerable<string> MembersOf(string typeFullName) =>
        Table.TryGetValue(typeFullName, out var members) ? members.Keys : [];

    /// <summary>
    /// The table's wildcard member: a type whose entry holds it prices every member it does not name at that cost
    /// (enumerations, whose members are constants and the operators on them).
    /// </summary>
    public const string AnyMember = "*";

    // type -> member -> cost, built once from the data in ApiCostTable.cs.
    private static readonly Dictionary<string, Dictionary<string, Cost>> Table = Build();

    private static partial Dictionary<string, Dictionary<string, Cost>> Build();
}
