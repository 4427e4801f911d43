// expect: accept
using System;
using System.Collections.Generic;
public sealed class Ring<T> where T : IComparable<T>
{
    private readonly T[] _items; private int _head;
    public Ring(int n) => _items = new T[n];
    public void Push(T x) { _items[_head] = x; _head = (_head + 1) % _items.Length; }
    public T Max() { var m = _items[0]; foreach (var x in _items) if (x.CompareTo(m) > 0) m = x; return m; }
}
public static class Sum { public static T Of<T>(T[] xs) where T : System.Numerics.INumber<T> { T s = T.Zero; foreach (var x in xs) s += x; return s; } }
