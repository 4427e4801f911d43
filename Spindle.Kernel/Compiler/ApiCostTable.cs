namespace Spindle.Kernel.Compiler;

// The cost table, like gVisor's syscall table: every allowed base-library type that carries data or does work
// on it, and every member of it (metadata names; a row applies to all overloads of a name) with its charge.
// A member a listed type does not name is refused by ApiRules, so a member a newer runtime adds stays out until
// someone prices it; the completeness test (ApiCostTableTests) names each one. Members refused outright (shared
// state, host state, recursion, work the flags cannot express) are in ApiRules' deny lists, not here; members
// whose signatures carry a refused type (pointers, System.IO, System.Buffers) are refused by that type.
//   Const   bounded work and allocation, whatever the arguments
//   This    work grows with the receiver (string length, collection count...)
//   Args    work grows with the sized arguments (strings, arrays, spans, collections)
//   Count   work grows with integer size arguments (capacity, count, length...)
//   Alloc   and allocates what is charged
//   Product receiver size times arguments' size plus one (searches for a sequence, Replace)
// Element sizes are not seen: sorting or searching strings, joining an array of strings, is charged per element.
internal static partial class ApiCosts
{
    private const Cost Const = Cost.Constant, This = Cost.This, Args = Cost.Args, Count = Cost.Count,
        Alloc = Cost.Allocates, Product = Cost.Product, Elems = Cost.Elements;

    private static partial Dictionary<string, Dictionary<string, Cost>> Build()
    {
        var table = new Dictionary<string, Dictionary<string, Cost>>(StringComparer.Ordinal);
        AddCore(table);
        AddSpans(table);
        AddNumbers(table);
        AddConversions(table);
        AddText(table);
        AddCollections(table);
        AddSortedCollections(table);
        AddCollectionInterfaces(table);
        return table;
    }

    // One type: rows of (cost, space-separated member names). A name listed twice is a mistake in the table.
    private static void Add(Dictionary<string, Dictionary<string, Cost>> table, string type, params (Cost Cost, string Members)[] rows)
    {
        var members = new Dictionary<string, Cost>(StringComparer.Ordinal);
        foreach (var (cost, names) in rows)
            foreach (var name in names.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (!members.TryAdd(name, cost)) throw new InvalidOperationException($"the cost table lists {type}.{name} twice");
        table.Add(type, members);
    }

    // Enumerations: constants and the operators on them.
    private static void AddEnums(Dictionary<string, Dictionary<string, Cost>> table, params string[] types)
    {
        foreach (var type in types) Add(table, type, (Const, AnyMember));
    }

    private static void AddCore(Dictionary<string, Dictionary<string, Cost>> table)
    {
        // Virtual calls through object reach the receiver's own Equals, GetHashCode and ToString.
        Add(table, "System.Object",
            (Const, ".ctor GetType ReferenceEquals MemberwiseClone Finalize op_Equality op_Inequality"),
            (This | Args, "Equals"), (This, "GetHashCode"), (This | Alloc, "ToString"));
        // Opaque to extensions (ApiRules refuses the rest as reflection): its name (MemberInfo.Name) and equality.
        Add(table, "System.Type", (Const, "get_FullName get_Namespace op_Equality op_Inequality Equals GetHashCode ToString"));
        Add(table, "System.String",
            (Const, "get_Length get_Chars Empty IsNullOrEmpty op_Implicit GetPinnableReference GetTypeCode Clone GetEnumerator EnumerateRunes ToString"),
            (Count | Args | Alloc, ".ctor"),
            (Count | Alloc, "Create"),
            (This | Args, "CompareTo"),
            (Args, "Compare CompareOrdinal Equals op_Equality op_Inequality StartsWith EndsWith IsNullOrWhiteSpace"),
            (This | Args, "GetHashCode"),
            (Product, "Contains IndexOf IndexOfAny LastIndexOf LastIndexOfAny"),
            (This, "CopyTo TryCopyTo IsNormalized"),
            (Args | Alloc | Elems, "Concat Join"),
            (Args | Alloc, "Format Copy op_Addition"),
            (This | Args | Alloc, "Insert Trim TrimStart TrimEnd"),
            (This | Count | Alloc, "PadLeft PadRight"),
            (This | Alloc, "Remove Substring ToCharArray ToLower ToLowerInvariant ToUpper ToUpperInvariant Normalize"),
            (Product | Alloc, "Replace ReplaceLineEndings Split"));
        Add(table, "System.CharEnumerator", (Const, "Clone Dispose MoveNext Reset get_Current"));
        Add(table, "System.Array",
            (Const, "AsReadOnly Empty GetEnumerator GetLength GetLongLength GetLowerBound GetUpperBound GetValue SetValue "
                + "get_IsFixedSize get_IsReadOnly get_IsSynchronized get_Length get_LongLength get_MaxLength get_Rank get_SyncRoot"),
            (Args, "BinarySearch Clear Exists Fill Find FindIndex FindLast FindLastIndex ForEach IndexOf LastIndexOf Reverse Sort TrueForAll"),
            (Args | Alloc, "ConvertAll FindAll"),
            (Count, "Copy ConstrainedCopy"),
            (Count | Alloc, "Resize"),
            (This, "CopyTo Initialize"),
            (This | Alloc, "Clone"));
        Add(table, "System.ArraySegment`1",
            (Const, ".ctor Equals GetEnumerator GetHashCode Slice get_Array get_Count get_Empty get_Item get_Offset op_Equality op_Implicit op_Inequality set_Item"),
            (This, "CopyTo"), (This | Alloc, "ToArray"));
        Add(table, "System.ArraySegment`1+Enumerator", (Const, "Dispose MoveNext get_Current"));
    }
}
