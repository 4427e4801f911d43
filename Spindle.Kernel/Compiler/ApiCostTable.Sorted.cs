namespace Spindle.Kernel.Compiler;

// The cost table (see ApiCostTable.cs): the ordered collections (balanced trees and sorted arrays) and BitArray.
// A lookup is logarithmic in the count and charged by the key; SortedList inserts and removes by moving its arrays.
internal static partial class ApiCosts
{
    private static void AddSortedCollections(Dictionary<string, Dictionary<string, Cost>> table)
    {
        const string g = "System.Collections.Generic.";
        // GetViewBetween and Reverse return lazy views that rescan the set: refused in ApiRules.
        Add(table, g + "SortedSet`1",
            (Const, "Clear CreateSetComparer OnDeserialization GetEnumerator get_Comparer get_Count get_Max get_Min"),
            (Args | Alloc, ".ctor"),
            (Args, "Add Contains Remove TryGetValue"),
            (This, "CopyTo RemoveWhere"),
            (This | Args, "IsProperSubsetOf IsProperSupersetOf IsSubsetOf IsSupersetOf Overlaps SetEquals"),
            (This | Args | Alloc, "ExceptWith IntersectWith SymmetricExceptWith UnionWith"));
        Add(table, g + "SortedSet`1+Enumerator", (Const, EnumeratorMembers));

        Add(table, g + "SortedDictionary`2",
            (Const, "Clear GetEnumerator get_Comparer get_Count get_Keys get_Values"),
            (Args | Alloc, ".ctor"),
            (Args, "Add ContainsKey Remove TryGetValue get_Item set_Item"),
            (This, "CopyTo"),
            (Product, "ContainsValue"));
        Add(table, g + "SortedDictionary`2+Enumerator", (Const, EnumeratorMembers));
        Add(table, g + "SortedDictionary`2+KeyCollection", (Const, ".ctor GetEnumerator get_Count"), (Args, "Contains"), (This, "CopyTo"));
        Add(table, g + "SortedDictionary`2+KeyCollection+Enumerator", (Const, EnumeratorMembers));
        Add(table, g + "SortedDictionary`2+ValueCollection", (Const, ".ctor GetEnumerator get_Count"), (This, "CopyTo"));
        Add(table, g + "SortedDictionary`2+ValueCollection+Enumerator", (Const, EnumeratorMembers));
        Add(table, g + "SortedDictionary`2+KeyValuePairComparer", (Const, ".ctor Equals GetHashCode"), (Args, "Compare"));

        // set_Capacity grows the arrays by a property value the meter cannot see: refused in ApiRules.
        Add(table, g + "SortedList`2",
            (Const, "GetKeyAtIndex GetValueAtIndex SetValueAtIndex GetEnumerator get_Capacity get_Comparer get_Count get_Keys get_Values"),
            (Count | Args | Alloc, ".ctor"),
            (Args, "ContainsKey IndexOfKey TryGetValue get_Item"),
            (This | Args, "Add Remove set_Item"),
            (This, "Clear RemoveAt"),
            (Product, "ContainsValue IndexOfValue"),
            (This | Alloc, "TrimExcess"));
        // The key and value lists are read-only views: their mutators throw.
        Add(table, g + "SortedList`2+KeyList",
            (Const, "Add Clear Insert Remove RemoveAt GetEnumerator get_Count get_IsReadOnly get_Item set_Item"),
            (Args, "Contains IndexOf"), (This, "CopyTo"));
        Add(table, g + "SortedList`2+ValueList",
            (Const, "Add Clear Insert Remove RemoveAt GetEnumerator get_Count get_IsReadOnly get_Item set_Item"),
            (Product, "Contains IndexOf"), (This, "CopyTo"));

        // set_Length grows the array by a property value the meter cannot see: refused in ApiRules.
        Add(table, "System.Collections.BitArray",
            (Const, "Get Set get_Item set_Item get_Length get_IsReadOnly get_IsSynchronized get_SyncRoot GetEnumerator get_Count"),
            (Count | Args | Alloc, ".ctor"),
            (This, "And Or Xor Not CopyTo HasAllSet HasAnySet LeftShift RightShift SetAll"),
            (This | Alloc, "Clone"));
    }
}
