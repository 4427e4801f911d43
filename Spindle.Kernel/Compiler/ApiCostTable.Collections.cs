namespace Spindle.Kernel.Compiler;

// The cost table (see ApiCostTable.cs): the hashed and sequential generic collections. Lookups by key are charged
// by the key (hashing a string key reads all of it); searches by value compare every element (Product).
internal static partial class ApiCosts
{
    private const string EnumeratorMembers = "Dispose MoveNext get_Current";

    private static void AddCollections(Dictionary<string, Dictionary<string, Cost>> table)
    {
        const string g = "System.Collections.Generic.";
        // set_Capacity grows the buffer by a property value the meter cannot see: refused in ApiRules.
        Add(table, g + "List`1",
            (Const, "Add AsReadOnly GetEnumerator get_Capacity get_Count get_Item set_Item"),
            (Count | Args | Alloc, ".ctor EnsureCapacity GetRange Slice"),
            (Args | Alloc, "AddRange"),
            (This | Args, "BinarySearch"),
            (This, "Clear CopyTo Exists Find FindIndex FindLast FindLastIndex ForEach Insert RemoveAll RemoveAt "
                + "RemoveRange Reverse Sort TrueForAll"),
            (This | Alloc, "ConvertAll FindAll ToArray TrimExcess"),
            (This | Args | Alloc, "InsertRange"),
            (Product, "Contains IndexOf LastIndexOf Remove"));
        Add(table, g + "List`1+Enumerator", (Const, EnumeratorMembers));

        foreach (var (dictionary, ctor, enumerator) in (ReadOnlySpan<(string, string, string)>)
                     [("Dictionary`2", ".ctor", EnumeratorMembers), ("OrderedDictionary`2", "", "MoveNext get_Current")])
        {
            Add(table, g + dictionary + "+Enumerator", (Const, enumerator));
            Add(table, g + dictionary + "+KeyCollection", (Const, ctor + " GetEnumerator get_Count"), (Args, "Contains"), (This, "CopyTo"));
            Add(table, g + dictionary + "+KeyCollection+Enumerator", (Const, enumerator));
            Add(table, g + dictionary + "+ValueCollection", (Const, ctor + " GetEnumerator get_Count"), (This, "CopyTo"));
            Add(table, g + dictionary + "+ValueCollection+Enumerator", (Const, enumerator));
        }
        Add(table, g + "Dictionary`2",
            (Const, "GetAlternateLookup TryGetAlternateLookup OnDeserialization GetEnumerator get_Capacity get_Comparer get_Count get_Keys get_Values"),
            (Count | Args | Alloc, ".ctor EnsureCapacity"),
            (Args, "Add ContainsKey Remove TryAdd TryGetValue get_Item set_Item"),
            (This, "Clear"),
            (Product, "ContainsValue"),
            (This | Count | Alloc, "TrimExcess"));
        Add(table, g + "Dictionary`2+AlternateLookup`1",
            (Const, "get_Dictionary"), (Args, "ContainsKey Remove TryAdd TryGetValue get_Item set_Item"));
        // Removing or inserting by position moves the entries after it.
        Add(table, g + "OrderedDictionary`2",
            (Const, "GetAt GetEnumerator get_Capacity get_Comparer get_Count get_Keys get_Values"),
            (Count | Args | Alloc, ".ctor EnsureCapacity"),
            (Args, "Add ContainsKey IndexOf SetAt TryAdd TryGetValue get_Item set_Item"),
            (This | Args, "Insert Remove RemoveAt"),
            (This, "Clear"),
            (Product, "ContainsValue"),
            (This | Count | Alloc, "TrimExcess"));

        Add(table, g + "HashSet`1",
            (Const, "CreateSetComparer GetAlternateLookup TryGetAlternateLookup OnDeserialization GetEnumerator get_Capacity get_Comparer get_Count"),
            (Count | Args | Alloc, ".ctor EnsureCapacity"),
            (Args, "Add Contains Remove TryGetValue ExceptWith Overlaps"),
            (This, "Clear CopyTo RemoveWhere"),
            (This | Args, "IntersectWith IsProperSubsetOf IsProperSupersetOf IsSubsetOf IsSupersetOf SetEquals"),
            (This | Args | Alloc, "SymmetricExceptWith"),
            (Args | Alloc, "UnionWith"),
            (This | Count | Alloc, "TrimExcess"));
        Add(table, g + "HashSet`1+AlternateLookup`1", (Const, "get_Set"), (Args, "Add Contains Remove TryGetValue"));
        Add(table, g + "HashSet`1+Enumerator", (Const, EnumeratorMembers));

        foreach (var (type, add, remove) in (ReadOnlySpan<(string, string, string)>)[("Queue`1", "Enqueue", "Dequeue TryDequeue"), ("Stack`1", "Push", "Pop TryPop")])
        {
            Add(table, g + type,
                (Const, $"{add} {remove} Peek TryPeek GetEnumerator get_Capacity get_Count"),
                (Count | Args | Alloc, ".ctor EnsureCapacity"),
                (This, "Clear CopyTo"),
                (Product, "Contains"),
                (This | Alloc, "ToArray"),
                (This | Count | Alloc, "TrimExcess"));
            Add(table, g + type + "+Enumerator", (Const, EnumeratorMembers));
        }

        Add(table, g + "LinkedList`1",
            (Const, "AddAfter AddBefore AddFirst AddLast RemoveFirst RemoveLast OnDeserialization GetEnumerator get_Count get_First get_Last"),
            (Args | Alloc, ".ctor"),
            (This, "Clear CopyTo"),
            (Product, "Contains Find FindLast Remove"));
        Add(table, g + "LinkedList`1+Enumerator", (Const, EnumeratorMembers));
        Add(table, g + "LinkedListNode`1", (Const, ".ctor get_List get_Next get_Previous get_Value get_ValueRef set_Value"));

        // The constructor's initialCapacity is not a size name the meter reads: ApiRules refuses that overload.
        Add(table, g + "PriorityQueue`2",
            (Const, "get_Capacity get_Comparer get_Count get_UnorderedItems"),
            (Count | Args | Alloc, ".ctor EnsureCapacity"),
            (Args, "Dequeue DequeueEnqueue Enqueue EnqueueDequeue Peek TryDequeue TryPeek"),
            (Args | Alloc, "EnqueueRange"),
            (This, "Clear"),
            (Product, "Remove"),
            (This | Alloc, "TrimExcess"));
        Add(table, g + "PriorityQueue`2+UnorderedItemsCollection", (Const, "GetEnumerator get_Count"));
        Add(table, g + "PriorityQueue`2+UnorderedItemsCollection+Enumerator", (Const, EnumeratorMembers));

        Add(table, g + "CollectionExtensions",
            (Const, "AsReadOnly"), (Args, "CopyTo GetValueOrDefault Remove TryAdd"), (Args | Alloc, "AddRange InsertRange"));
        Add(table, g + "KeyValuePair", (Const, "Create"));
        Add(table, g + "KeyValuePair`2", (Const, ".ctor Deconstruct get_Key get_Value"));
        Add(table, g + "KeyNotFoundException", (Const, ".ctor"));
    }
}
