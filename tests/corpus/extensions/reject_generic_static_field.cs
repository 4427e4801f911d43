// expect: reject generic-static
using System.Collections.Generic;
// One list per instantiation (Cache<int>, Cache<long>, ...): memory the audit of the domain's statics cannot see.
public static class Cache<T> { public static readonly List<T> Kept = new(); }
