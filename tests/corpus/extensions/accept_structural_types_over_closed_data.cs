// expect: accept
using System;
using System.Collections.Generic;
// Tuples, dictionaries and structs over data that cannot hold a boxed value of their own kind; a struct with an
// object field that brings its own (metered) equality; a record struct (the compiler writes its equality).
public readonly record struct Key(object Owner, ulong Address);
public struct Holder : IEquatable<Holder>
{
    public object? Item;
    public bool Equals(Holder other) => ReferenceEquals(Item, other.Item);
    public override bool Equals(object? obj) => obj is Holder h && Equals(h);
    public override int GetHashCode() => 1;
}
public static class Closed
{
    public static readonly Dictionary<string, (int Count, string Name)> Table = new();
    public static int Sum((int A, long B) pair) => pair.A + (int)pair.B;
}
