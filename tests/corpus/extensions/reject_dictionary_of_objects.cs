// expect: reject recursion
using System.Collections.Generic;
// Its non-generic enumerator boxes KeyValuePair<string, object>, which can then be stored as a value again, and again.
public static class Bag { public static readonly Dictionary<string, object> Items = new(); }
