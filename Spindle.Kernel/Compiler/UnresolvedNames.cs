using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// Gives the rule for a name the compiler could not resolve because its assembly is not among the
/// extension's references (Console, Process, DllImport, sockets...): the refusal is certain either
/// way, but "console: the host console belongs to the kernel" says more than CS0103.
/// </summary>
internal static class UnresolvedNames
{
    // Well-known forbidden types that live outside the reference set, by full metadata name.
    private static readonly string[] KnownElsewhere =
    [
        "System.Console", "System.Diagnostics.Process", "System.Diagnostics.ProcessStartInfo",
        "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Net.Sockets.TcpListener",
        "System.Net.Sockets.UdpClient", "System.Net.Http.HttpClient", "System.Net.Dns",
        "System.Runtime.InteropServices.Marshal", "System.Runtime.InteropServices.NativeLibrary",
        "System.Runtime.InteropServices.DllImportAttribute", "System.Runtime.InteropServices.LibraryImportAttribute",
        "System.Runtime.InteropServices.CollectionsMarshal", "System.Threading.ThreadPool",
        "System.Threading.Monitor", "System.Threading.Interlocked", "System.Threading.Tasks.Parallel",
        "System.Reflection.Emit.ILGenerator", "System.Reflection.Emit.DynamicMethod",
        "System.Reflection.Emit.AssemblyBuilder", "Microsoft.CSharp.RuntimeBinder.Binder",
        "System.Runtime.Loader.AssemblyLoadContext", "System.Timers.Timer", "System.Linq.Enumerable",
        "System.Linq.Queryable", "System.Linq.ParallelEnumerable", "System.Numerics.BigInteger", "System.Numerics.Complex",
    ];

    // The LINQ operators, by name: an extension method the compiler cannot find under one of these names
    // (xs.Select(...)) is LINQ, whose assembly extensions do not reference.
    private static readonly HashSet<string> QueryOperators = typeof(System.Linq.Enumerable)
        .GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).Select(m => m.Name).ToHashSet();

    /// <summary>
    /// Returns the forbidden name and its rule if the unresolved <paramref name="node"/> (or the
    /// dotted name it is part of) names a known forbidden type or namespace; otherwise null.
    /// </summary>
    public static (string Name, RuleHit Hit)? Classify(SyntaxNode node)
    {
        var top = node;
        while (top.Parent is QualifiedNameSyntax or AliasQualifiedNameSyntax
               || top.Parent is MemberAccessExpressionSyntax ma && ma.Expression == top)
            top = top.Parent;
        var parts = DottedParts(top);
        if (parts.Count == 0) return null;
        for (int n = parts.Count; n >= 1; n--)
        {
            string candidate = string.Join('.', parts.Take(n));
            foreach (var known in KnownElsewhere)
                if (known == candidate || known.EndsWith("." + candidate, StringComparison.Ordinal)
                    || known.EndsWith("." + candidate + "Attribute", StringComparison.Ordinal))
                    return (known, Check(known));
            if (n >= 2 && Check(candidate + ".X") is { Rule: not "not-allowlisted" } nsHit)
                return (candidate, nsHit);
        }
        return null;
    }

    /// <summary>
    /// Returns the LINQ rule for a missing member that is a LINQ operator (CS1061 on <c>xs.Select</c>) or for a query
    /// expression without a query pattern (CS1935); otherwise null.
    /// </summary>
    public static (string Name, RuleHit Hit)? ClassifyQueryOperator(string diagnosticId, SyntaxNode node)
    {
        string? name = diagnosticId == "CS1935" ? "Select"
            : node is MemberAccessExpressionSyntax ma ? ma.Name.Identifier.ValueText
            : node is SimpleNameSyntax s ? s.Identifier.ValueText : null;
        return name is not null && QueryOperators.Contains(name)
            ? ("System.Linq.Enumerable." + name, Check("System.Linq.Enumerable")) : null;
    }

    private static RuleHit Check(string fullName)
    {
        int dot = fullName.LastIndexOf('.');
        var r = new ApiRef(fullName[..dot], fullName[(dot + 1)..], null);
        return ApiRules.Check(r, RefSite.Source, new HashSet<string>()) ?? new RuleHit("not-allowlisted", "not available to extensions");
    }

    // Splits A.B.C (names, qualified names, member accesses) into identifiers; generic arguments are dropped.
    private static List<string> DottedParts(SyntaxNode node)
    {
        var parts = new List<string>();
        void Add(SyntaxNode n)
        {
            switch (n)
            {
                case QualifiedNameSyntax q: Add(q.Left); Add(q.Right); break;
                case AliasQualifiedNameSyntax a: Add(a.Name); break;
                case MemberAccessExpressionSyntax m: Add(m.Expression); Add(m.Name); break;
                case SimpleNameSyntax s: parts.Add(s.Identifier.ValueText); break;
                default: parts.Clear(); break;
            }
        }
        Add(node);
        return parts;
    }
}
