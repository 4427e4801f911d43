// expect: reject recursion
using System.Collections;
public static class Same { public static bool Deep(object[] a, object[] b) => StructuralComparisons.StructuralEqualityComparer.Equals(a, b); }
