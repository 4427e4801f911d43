using System.Collections;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Spindle.Sdk.Runtime;

// The charges for base-library work (see Spindle.Kernel/Compiler/ApiCosts.cs). The meter counts only what
// extension IL does; a base-library member whose work or allocation grows with its input runs no probe of
// its own. So before each call to such a member, the instrumenter measures the inputs (Size) and charges
// them (Charge): fuel in proportion to the work, and the bytes it may allocate against the call's budget,
// before they exist. Sizes are read without running extension code, except Count on an extension's own
// collection type, which is metered like all extension code.
public static partial class Meter
{
    /// <summary>Bytes charged per unit of a member that allocates in proportion to its input.</summary>
    public const int BytesPerUnit = 8;

    /// <summary>Flag of <see cref="Charge"/>: the member allocates in proportion to what it is charged.</summary>
    public const int ChargeAllocates = 8;

    /// <summary>Flag of <see cref="Charge"/>: the work is the receiver's size times the arguments' sizes plus one.</summary>
    public const int ChargeProduct = 16;

    /// <summary>
    /// Inserted before a call to a priced base-library member: burns fuel for the work
    /// (<paramref name="receiver"/> + <paramref name="arguments"/> + <paramref name="counts"/>, or
    /// <paramref name="receiver"/> × (<paramref name="arguments"/> + 1) + <paramref name="counts"/> with
    /// <see cref="ChargeProduct"/>) and, with <see cref="ChargeAllocates"/>, checks
    /// <see cref="BytesPerUnit"/> bytes per unit against the allocation budget. Throws when either is exhausted.
    /// Disarmed (trusted context), charges nothing.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Charge(long receiver, long arguments, long counts, int flags)
    {
        MeterState? s = t_state;
        if (s == null || s.Depth == 0) return;
        long units = (flags & ChargeProduct) != 0
            ? Saturate(Multiply(Math.Max(receiver, 0), Saturate(Math.Max(arguments, 0), 1)), Math.Max(counts, 0))
            : Saturate(Saturate(Math.Max(receiver, 0), Math.Max(arguments, 0)), Math.Max(counts, 0));
        s.Charge(units, (flags & ChargeAllocates) != 0 ? Multiply(units, BytesPerUnit) : 0);
    }

    /// <summary>Size of a string: its length (0 for null).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Size(string? value) => value?.Length ?? 0;

    /// <summary>
    /// Size of a format string: its length plus the largest number written in it, which may be a width or a precision
    /// (<c>"D999999999"</c> formats a number into a billion digits; <c>"{0,1000000}"</c> pads to a million).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long SizeFormat(string? format)
    {
        if (format is null) return 0;
        long largest = 0, number = 0;
        foreach (char c in format)
        {
            number = c is >= '0' and <= '9' ? Math.Min(number * 10 + (c - '0'), int.MaxValue) : 0;
            largest = Math.Max(largest, number);
        }
        return format.Length + largest;
    }

    /// <summary>Size of an array: its length.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Size(Array? array) => array?.LongLength ?? 0;

    /// <summary>Size of an array whose elements a member reads whole (strings joined): its length plus, for an array of references, the size of each element (one level).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long SizeElements(Array? array)
    {
        if (array is null) return 0;
        long size = array.LongLength;
        if (array is object?[] items)
            foreach (var item in items)
                if (item is not null and not object?[]) size = Saturate(size, Size(item));
        return size;
    }

    /// <summary>Size of a span: its length.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Size<T>(ReadOnlySpan<T> span) => span.Length;

    /// <summary>Size of a span: its length.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Size<T>(Span<T> span) => span.Length;

    /// <summary>Size of a memory: its length.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Size<T>(ReadOnlyMemory<T> memory) => memory.Length;

    /// <summary>Size of a memory: its length.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Size<T>(Memory<T> memory) => memory.Length;

    /// <summary>
    /// Size of any other input: a string's or StringBuilder's length, an array's size, a collection's count
    /// (non-generic ICollection, or a public Count property); 0 for anything else (a sequence that is not a
    /// collection is an extension's iterator, whose every step is metered as it runs).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Size(object? value) => value switch
    {
        null => 0,
        string s => s.Length,
        Array a => Size(a),
        StringBuilder b => b.Length,
        ICollection c => c.Count,
        _ => CountOf(value),
    };

    // Collections with only generic interfaces (HashSet<T>, PriorityQueue<,>): their public Count, found once per type.
    private static long CountOf(object value)
    {
        var getter = CountGetters.GetValue(value.GetType(), static t =>
            new(t.GetProperty("Count", BindingFlags.Public | BindingFlags.Instance, null, typeof(int), [], null)?.GetMethod)).Value;
        return getter is null ? 0 : (int)getter.Invoke(value, null)!;
    }

    // Weak in the type, so that an unloaded extension's types are not kept alive by the cache.
    private static readonly ConditionalWeakTable<Type, StrongBox<MethodInfo?>> CountGetters = new();

    private static long Saturate(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private static long Multiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;
}
