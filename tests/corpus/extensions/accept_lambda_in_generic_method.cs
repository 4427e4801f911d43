// expect: accept
using System;
using System.Collections.Generic;
public static class Sorter
{
    // A non-capturing lambda in a generic method: the compiler caches it in a static field of its generic <>c class.
    public static void SortDescending<T>(List<T> items) where T : IComparable<T> => items.Sort((a, b) => b.CompareTo(a));
}
