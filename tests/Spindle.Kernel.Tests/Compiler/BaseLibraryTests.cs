using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>The base library the personality needs is admitted; the process-wide parts of it are not.</summary>
public sealed class BaseLibraryTests : IDisposable
{
    private readonly TestHome _home = new();

    public void Dispose() => _home.Dispose();

    private IReadOnlyList<Violation> Check(string body) => new ExtensionCompiler(_home.Path).Check(new ExtensionSource("B", [("B.cs", $$"""
        using System;
        using System.Buffers.Binary;
        using System.Collections.Generic;
        using System.Text;
        public static class B { public static object F(byte[] a, string s) { {{body}} } }
        """)]));

    [Theory]
    [InlineData("return Encoding.UTF8.GetBytes(s);")]
    [InlineData("return Encoding.UTF8.GetString(a, 0, a.Length);")]
    [InlineData("var sb = new StringBuilder(); sb.Append(s).Append(1).Append('x'); return sb.ToString();")]
    [InlineData("var d = new Dictionary<string, int>(StringComparer.Ordinal); d[s] = 1; return d.TryGetValue(s, out int v) ? v : 0;")]
    [InlineData("return Convert.ToString(42L, 8) + Convert.ToHexString(a);")]
    [InlineData("return BinaryPrimitives.ReadUInt64LittleEndian(a) + (ulong)BinaryPrimitives.ReadInt32BigEndian(a.AsSpan(8));")]
    [InlineData("Span<byte> b = a; BinaryPrimitives.WriteUInt32LittleEndian(b, 7u); return b.ToArray();")]
    [InlineData("var q = new Queue<int>(); q.Enqueue(1); var h = new HashSet<int> { 2 }; var l = new List<int>(h); l.Sort(); return q.Count + l[0];")]
    [InlineData("return string.Join(',', s.Split(':', StringSplitOptions.RemoveEmptyEntries));")]
    public void WhatThePersonalityUses_IsAccepted(string body) => Assert.Empty(Check(body));

    [Theory]
    [InlineData("Encoding.RegisterProvider(null!); return 0;", "environment")]
    [InlineData("return Encoding.Default;", "environment")]
    [InlineData("return Environment.GetEnvironmentVariable(s) ?? \"\";", "environment")]
    [InlineData("int[] c = new int[1]; System.Threading.Interlocked.Increment(ref c[0]); return 0;", "threading")]
    public void ProcessWideState_IsRefused(string body, string rule) => Assert.Contains(Check(body), v => v.Rule == rule);
}

/// <summary>An extension may not open its internals to other assemblies by name.</summary>
public sealed class InternalsVisibleToTests : IDisposable
{
    private readonly TestHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void InternalsVisibleTo_IsRefusedWithItsReason()
    {
        var found = new ExtensionCompiler(_home.Path).Check(new ExtensionSource("V", [("V.cs",
            "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Other\")]\npublic static class V { }")]));
        Assert.Contains(found, v => v.Rule == "internals-visible" && v.What.Contains("project file"));
    }
}
