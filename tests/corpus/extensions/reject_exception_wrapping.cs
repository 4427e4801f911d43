// expect: reject recursion
using System;
// InnerException chains: Exception.ToString, reached through object.ToString, recurses down them.
public sealed class Wrapped : Exception { public Wrapped(string message, Exception inner) : base(message, inner) { } }
