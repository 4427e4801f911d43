namespace Spindle.Kernel.Compiler;

// The cost table (see ApiCostTable.cs): spans, memory and the span extension methods. MemoryExtensions are static,
// so their work is charged by their arguments; the searches for a sequence (work = product of the two lengths)
// and the span split enumerators are refused in ApiRules.
internal static partial class ApiCosts
{
    private static void AddSpans(Dictionary<string, Dictionary<string, Cost>> table)
    {
        const string spanMembers = ".ctor Equals GetEnumerator GetHashCode GetPinnableReference Slice get_Empty get_IsEmpty get_Item "
            + "get_Length op_Equality op_Implicit op_Inequality";
        Add(table, "System.Span`1", (Const, spanMembers), (This, "Clear CopyTo Fill TryCopyTo"), (This | Alloc, "ToArray ToString"));
        Add(table, "System.ReadOnlySpan`1", (Const, spanMembers + " CastUp"), (This, "CopyTo TryCopyTo"), (This | Alloc, "ToArray ToString"));
        Add(table, "System.Span`1+Enumerator", (Const, "MoveNext get_Current"));
        Add(table, "System.ReadOnlySpan`1+Enumerator", (Const, "MoveNext get_Current"));
        foreach (var memory in (ReadOnlySpan<string>)["System.Memory`1", "System.ReadOnlyMemory`1"])
            Add(table, memory,
                (Const, ".ctor Equals GetHashCode Slice get_Empty get_IsEmpty get_Length get_Span op_Implicit"),
                (This, "CopyTo TryCopyTo"),
                (This | Alloc, "ToArray ToString"));
        Add(table, "System.MemoryExtensions",
            (Const, "AsMemory AsSpan Overlaps EnumerateRunes"),
            (Args, "BinarySearch CommonPrefixLength CompareTo Contains ContainsAny ContainsAnyExcept ContainsAnyExceptInRange "
                + "ContainsAnyInRange CopyTo Count EndsWith Equals IndexOf IndexOfAny IndexOfAnyExcept "
                + "IndexOfAnyExceptInRange IndexOfAnyInRange IsWhiteSpace LastIndexOf LastIndexOfAny LastIndexOfAnyExcept "
                + "LastIndexOfAnyExceptInRange LastIndexOfAnyInRange Replace Reverse SequenceCompareTo SequenceEqual Sort Split "
                + "StartsWith ToLower ToLowerInvariant ToUpper ToUpperInvariant Trim TrimEnd TrimStart TryWrite"));
        // Built by the compiler for `span.TryWrite($"...")`; ApiRules refuses naming it in source.
        Add(table, "System.MemoryExtensions+TryWriteInterpolatedStringHandler", (Const, ".ctor"), (Args, "AppendFormatted AppendLiteral"));
    }
}
