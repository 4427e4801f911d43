namespace Spindle.Kernel.Compiler;

/// <summary>A reference to a type or member, as named in source or in metadata.</summary>
/// <param name="Namespace">The namespace of the outermost type ("" for the global namespace).</param>
/// <param name="TypeName">Metadata name of the outermost declaring type, with its arity (<c>List`1</c>).</param>
/// <param name="Member">Member metadata name (<c>get_Now</c>, <c>.ctor</c>), or null for the type itself.</param>
/// <param name="ParamTypes">Full names of the member's parameter types when known, else null.</param>
/// <param name="Nested">For a nested type or its member: the names below the outermost type, joined with '+' (<c>KeyCollection+Enumerator</c>).</param>
internal readonly record struct ApiRef(string Namespace, string TypeName, string? Member, IReadOnlyList<string>? ParamTypes = null, string? Nested = null)
{
    public string TypeFullName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;

    /// <summary>The declaring type's full metadata name, nested types with '+': how <see cref="ApiCosts"/> names it.</summary>
    public string DeclaringTypeName => Nested is null ? TypeFullName : TypeFullName + "+" + Nested;

    public override string ToString() => Member is null ? DeclaringTypeName : DeclaringTypeName + "." + Member;
}

/// <summary>A broken rule: its id and a sentence saying why the thing is refused.</summary>
internal readonly record struct RuleHit(string Rule, string Why);

/// <summary>Where a reference was found, which decides what compiler-inserted references are tolerated.</summary>
internal enum RefSite
{
    /// <summary>Named in extension source by its author.</summary>
    Source,
    /// <summary>In the IL of a method the author wrote: the compiler's lowering may add a few helpers.</summary>
    Emitted,
    /// <summary>In the IL of a compiler-synthesized helper (&lt;PrivateImplementationDetails&gt;).</summary>
    Synthesized,
}

/// <summary>
/// The base-library policy. The allowed surface is one list: the types of <see cref="ApiCosts"/>' table, each
/// member of which the table prices or declares constant (a member it does not name is refused), plus a few
/// open types that carry no data (delegates, exceptions, attributes, tuples, expression trees, compiler support).
/// Deny lists come first and give the reason for what people try: host state, shared state, recursion over data
/// the extension built, work the meter cannot charge. Anything not allowed is refused.
/// </summary>
internal static partial class ApiRules
{
    /// <summary>Bumped whenever a rule changes, so that cached builds are redone.</summary>
    public const int Version = 3;

    /// <summary>Namespaces of Spindle.Sdk that extension source may never name.</summary>
    public static readonly string[] PrivilegedSdkNamespaces = ["Spindle.Sdk.Runtime"];

    private static readonly RuleHit NotAllowlisted = new("not-allowlisted", "not in the base-library allowlist for extensions");

    /// <summary>Checks a base-library or Spindle.Sdk reference. Returns null if allowed.</summary>
    /// <param name="r">The reference (a type, or one of its members).</param>
    /// <param name="site">Where it occurs: source, compiler-lowered IL, or a synthesized helper.</param>
    /// <param name="sdkGrants">The Spindle.Sdk namespaces the extension was granted.</param>
    public static RuleHit? Check(in ApiRef r, RefSite site, IReadOnlySet<string> sdkGrants)
    {
        if (site != RefSite.Source && IsHelper(r, LoweringHelpers)) return null;
        if (site == RefSite.Synthesized && IsHelper(r, SynthesizedHelpers)) return null;
        if (AllowedMembers.Contains(r.ToString())) return null;
        if (site == RefSite.Source && r.Member is not null && CompilerOnlyTypes.Contains(r.DeclaringTypeName))
            return new RuleHit("cost", "interpolated-string handlers are the compiler's to call: write an interpolated string, whose holes the source policy checks");
        if (Denied(r) is { } hit) return hit;

        if (r.Namespace == "Spindle.Sdk" || r.Namespace.StartsWith("Spindle.Sdk.", StringComparison.Ordinal))
            return sdkGrants.Contains(r.Namespace) ? null
                : new RuleHit("sdk-grant", $"namespace {r.Namespace} was not granted to this extension");

        string declaring = r.DeclaringTypeName;
        if (ApiCosts.Covers(declaring))
            return r.Member is null || IsClassified(declaring, r.Member) ? null : new RuleHit("not-allowlisted",
                $"{declaring} is allowed, but this member is not in its cost table (ApiCostTable): unpriced members are refused");
        if (r.Nested is not null && ApiCosts.Covers(r.TypeFullName))
            return new RuleHit("not-allowlisted", $"{declaring} is not in the cost table although {r.TypeFullName} is");
        return IsOpen(r) ? null : NotAllowlisted;
    }

    /// <summary>
    /// The explicit refusals (deny lists, and the members of a restricted type its table leaves out), without the
    /// allowlist: what the completeness test accepts as "refused" for a member the cost table does not price.
    /// </summary>
    public static RuleHit? Denied(in ApiRef r)
    {
        string type = r.TypeFullName;
        if (r.Member is { } member)
        {
            string plain = StripAccessor(member);
            foreach (var d in DeniedMembers)
                if (d.Type == r.DeclaringTypeName && (d.Member == member || d.Member == plain) && (d.When is null || d.When(r.ParamTypes)))
                    return d.Hit;
            foreach (var f in DeniedFamilies)
                if (f.Members.Contains(plain) && f.Applies(r)) return f.Hit;
            if (RestrictedTypes.TryGetValue(r.DeclaringTypeName, out var restricted) && !IsClassified(r.DeclaringTypeName, member))
                return restricted;
        }
        if (DeniedTypes.TryGetValue(type, out var hit)) return hit;
        if (DeniedExactNamespaces.TryGetValue(r.Namespace, out hit)) return hit;
        foreach (var (prefix, nsHit) in DeniedNamespaces)
            if (r.Namespace == prefix || r.Namespace.StartsWith(prefix + ".", StringComparison.Ordinal))
                return nsHit;
        return null;
    }

    /// <summary>True if the namespace is the privileged runtime namespace (or inside it).</summary>
    public static bool IsPrivileged(string ns) =>
        PrivilegedSdkNamespaces.Any(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal));

    // The table names accessors (get_Count); source names the property (Count) or the field.
    private static bool IsClassified(string type, string member) =>
        ApiCosts.Of(type, member) is not null || ApiCosts.Of(type, "get_" + member) is not null || ApiCosts.Of(type, "set_" + member) is not null;

    private static bool IsHelper(in ApiRef r, HashSet<string> helpers) =>
        helpers.Contains(r.TypeFullName) && r.Member is null || helpers.Contains(r.ToString());

    // The open types: no data of their own, so their members are bounded.
    private static bool IsOpen(ApiRef r)
    {
        if (OpenNamespaces.Contains(r.Namespace)) return true;
        return r.Namespace switch
        {
            "System" => OpenSystemTypes.Contains(r.TypeName)
                        || r.TypeName.EndsWith("Exception", StringComparison.Ordinal)
                        || OpenSystemTypePrefixes.Any(p => r.TypeName.StartsWith(p, StringComparison.Ordinal)),
            Cs => AllowedCompilerServicesTypes.Contains(r.TypeName)
                  || r.TypeName.StartsWith("InlineArray", StringComparison.Ordinal) && r.TypeName.EndsWith("`1", StringComparison.Ordinal),
            _ => false,
        };
    }

    private static string StripAccessor(string member)
    {
        foreach (var p in (ReadOnlySpan<string>)["get_", "set_", "add_", "remove_"])
            if (member.StartsWith(p, StringComparison.Ordinal)) return member[p.Length..];
        return member;
    }
}
