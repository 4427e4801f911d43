// expect: reject recursion
// ValueType.Equals and GetHashCode recurse into Next, which can hold another boxed Link.
public struct Link { public object? Next; public int Value; }
