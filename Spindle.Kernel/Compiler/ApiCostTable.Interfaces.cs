namespace Spindle.Kernel.Compiler;

// The cost table (see ApiCostTable.cs): the collection interfaces, comparers and System.Collections.ObjectModel.
// A call through an interface is priced for the costliest collection behind it (IList.Insert moves a List's
// elements, IDictionary.Add inserts into a SortedList's arrays); calls into extension code are metered there too.
internal static partial class ApiCosts
{
    private static void AddCollectionInterfaces(Dictionary<string, Dictionary<string, Cost>> table)
    {
        const string g = "System.Collections.Generic.", c = "System.Collections.";
        Add(table, g + "IEnumerable`1", (Const, "GetEnumerator"));
        Add(table, g + "IEnumerator`1", (Const, "get_Current"));
        Add(table, g + "IReadOnlyCollection`1", (Const, "get_Count"));
        Add(table, g + "IReadOnlyList`1", (Const, "get_Item"));
        Add(table, g + "ICollection`1",
            (Const, "get_Count get_IsReadOnly"), (This | Args, "Add"), (This, "Clear CopyTo"), (Product, "Contains Remove"));
        Add(table, g + "IList`1", (Const, "get_Item set_Item"), (Product, "IndexOf"), (This, "Insert RemoveAt"));
        Add(table, g + "IReadOnlyDictionary`2", (Const, "get_Keys get_Values"), (Args, "ContainsKey TryGetValue get_Item"));
        Add(table, g + "IDictionary`2",
            (Const, "get_Keys get_Values"), (Args, "ContainsKey TryGetValue get_Item"), (This | Args, "Add Remove set_Item"));
        Add(table, g + "IReadOnlySet`1",
            (Args, "Contains"), (This | Args, "IsProperSubsetOf IsProperSupersetOf IsSubsetOf IsSupersetOf Overlaps SetEquals"));
        Add(table, g + "ISet`1",
            (Args, "Add"), (This | Args, "IsProperSubsetOf IsProperSupersetOf IsSubsetOf IsSupersetOf Overlaps SetEquals"),
            (This | Args | Alloc, "ExceptWith IntersectWith SymmetricExceptWith UnionWith"));
        Add(table, g + "IComparer`1", (Args, "Compare"));
        Add(table, g + "IEqualityComparer`1", (Args, "Equals GetHashCode"));
        Add(table, g + "Comparer`1", (Const, ".ctor Create get_Default"), (Args, "Compare"));
        Add(table, g + "EqualityComparer`1", (Const, ".ctor Create get_Default"), (Args, "Equals GetHashCode"));
        Add(table, g + "ReferenceEqualityComparer", (Const, "Equals GetHashCode get_Instance"));

        Add(table, c + "IEnumerable", (Const, "GetEnumerator"));
        Add(table, c + "IEnumerator", (Const, "MoveNext Reset get_Current"));
        Add(table, c + "IDictionaryEnumerator", (Const, "get_Entry get_Key get_Value"));
        Add(table, c + "ICollection", (Const, "get_Count get_IsSynchronized get_SyncRoot"), (This, "CopyTo"));
        Add(table, c + "IList",
            (Const, "get_IsFixedSize get_IsReadOnly get_Item set_Item"), (Args, "Add"), (This, "Clear Insert RemoveAt"),
            (Product, "Contains IndexOf Remove"));
        Add(table, c + "IDictionary",
            (Const, "GetEnumerator get_IsFixedSize get_IsReadOnly get_Keys get_Values"), (Args, "Contains get_Item"),
            (This | Args, "Add Remove set_Item"), (This, "Clear"));
        Add(table, c + "IComparer", (Args, "Compare"));
        Add(table, c + "IEqualityComparer", (Args, "Equals GetHashCode"));
        Add(table, c + "DictionaryEntry", (Const, ".ctor Deconstruct get_Key get_Value set_Key set_Value"));
        AddObjectModel(table);
    }

    private static void AddObjectModel(Dictionary<string, Dictionary<string, Cost>> table)
    {
        const string o = "System.Collections.ObjectModel.";
        // Collection<T> and KeyedCollection<TKey, TItem> are meant to be derived from: their protected members count.
        Add(table, o + "Collection`1",
            (Const, ".ctor Add GetEnumerator get_Count get_Item set_Item get_Items SetItem"),
            (This, "Clear ClearItems CopyTo Insert InsertItem RemoveAt RemoveItem"),
            (Product, "Contains IndexOf Remove"));
        Add(table, o + "KeyedCollection`2",
            (Const, ".ctor GetKeyForItem get_Comparer get_Dictionary"),
            (Args, "Contains TryGetValue get_Item ChangeItemKey SetItem"),
            (This | Args, "Remove InsertItem RemoveItem"),
            (This, "ClearItems"));
        Add(table, o + "ReadOnlyCollection`1",
            (Const, ".ctor GetEnumerator get_Count get_Empty get_Item get_Items"), (This, "CopyTo"), (Product, "Contains IndexOf"));
        Add(table, o + "ReadOnlyCollection", (Args | Alloc, "CreateCollection CreateSet"));
        Add(table, o + "ReadOnlyDictionary`2",
            (Const, ".ctor GetEnumerator get_Count get_Dictionary get_Empty get_Keys get_Values"), (Args, "ContainsKey TryGetValue get_Item"));
        Add(table, o + "ReadOnlyDictionary`2+KeyCollection", (Const, "GetEnumerator get_Count"), (Args, "Contains"), (This, "CopyTo"));
        Add(table, o + "ReadOnlyDictionary`2+ValueCollection", (Const, "GetEnumerator get_Count"), (This, "CopyTo"));
        Add(table, o + "ReadOnlySet`1",
            (Const, ".ctor GetEnumerator get_Count get_Empty get_Set"), (Args, "Contains"),
            (This | Args, "IsProperSubsetOf IsProperSupersetOf IsSubsetOf IsSupersetOf Overlaps SetEquals"));
    }
}
