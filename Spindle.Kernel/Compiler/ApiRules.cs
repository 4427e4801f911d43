namespace Spindle.Kernel.Compiler;

/// <summary>A reference to a type or member, as named in source or in metadata.</summary>
/// <param name="Namespace">The namespace of the outermost type ("" for the global namespace).</param>
/// <param name="TypeName">Metadata name of the outermost declaring type, with its arity (<c>List`1</c>).</param>
/// <param name="Member">Member metadata name (<c>get_Now</c>, <c>.ctor</c>), or null for the type itself.</param>
/// <param name="ParamTypes">Full names of the member's parameter types when known, else null.</param>
internal readonly record struct ApiRef(string Namespace, string TypeName, string? Member, IReadOnlyList<string>? ParamTypes = null)
{
    public string TypeFullName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;
    public override string ToString() => Member is null ? TypeFullName : TypeFullName + "." + Member;
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
/// The base-library policy: an allowlist of namespaces, types and members an extension may name,
/// and a deny list that gives the clear reason for the things people try most. A reference is
/// checked deny list first (most specific first), then allowlist; anything not allowlisted is refused.
/// </summary>
internal static class ApiRules
{
    /// <summary>Bumped whenever a rule changes, so that cached builds are redone.</summary>
    public const int Version = 2;

    /// <summary>Namespaces of Spindle.Sdk that extension source may never name.</summary>
    public static readonly string[] PrivilegedSdkNamespaces = ["Spindle.Sdk.Runtime"];

    private const string Cs = "System.Runtime.CompilerServices";
    private const string Interop = "System.Runtime.InteropServices";

    // Deny list by namespace prefix (most specific first).
    private static readonly (string Prefix, RuleHit Hit)[] DeniedNamespaces =
    [
        ("Spindle.Sdk.Runtime", new("sdk-runtime", "only the instrumenter may insert calls to Spindle.Sdk.Runtime")),
        ("System.Reflection.Emit", new("emit", "emits code at run time")),
        ("System.Reflection", new("reflection", "reflection reaches any type and member")),
        ("System.Runtime.Loader", new("reflection", "loads assemblies")),
        ("System.Timers", new("timer", "timers run callbacks on host threads")),
        ("System.Threading.Tasks", new("threading", "tasks run on the host thread pool")),
        ("System.Threading", new("threading", "host threads and their synchronization belong to the kernel")),
        ("System.IO", new("io", "files and streams reach the host")),
        ("System.Net", new("network", "sockets reach the host network")),
        ("System.Diagnostics.Process", new("process", "starts host processes")),
        (Interop, new("interop", "interop reaches native code and raw memory")),
        ("System.Dynamic", new("dynamic", "dynamic binding is reflection")),
        ("Microsoft.CSharp", new("dynamic", "dynamic binding is reflection")),
    ];

    // Deny list by type (namespace-qualified metadata name).
    private static readonly Dictionary<string, RuleHit> DeniedTypes = new()
    {
        ["System.Console"] = new("console", "the host console belongs to the kernel"),
        ["System.Environment"] = new("environment", "reads and changes the host process environment"),
        ["System.AppContext"] = new("environment", "reads and changes host process switches"),
        ["System.AppDomain"] = new("environment", "reaches the host application domain"),
        ["System.GC"] = new("gc", "garbage-collector control belongs to the kernel"),
        ["System.GCMemoryInfo"] = new("gc", "garbage-collector control belongs to the kernel"),
        ["System.Runtime.GCSettings"] = new("gc", "garbage-collector control belongs to the kernel"),
        ["System.Activator"] = new("reflection", "creates instances of types chosen at run time"),
        ["System.TypedReference"] = new("typedref", "typed references escape type safety"),
        ["System.ArgIterator"] = new("arglist", "variable argument lists escape type safety"),
        ["System.RuntimeArgumentHandle"] = new("arglist", "variable argument lists escape type safety"),
        ["System.Diagnostics.Process"] = new("process", "starts host processes"),
        ["System.Diagnostics.ProcessStartInfo"] = new("process", "starts host processes"),
        ["System.Threading.Timer"] = new("timer", "timers run callbacks on host threads"),
        ["System.Threading.PeriodicTimer"] = new("timer", "timers run callbacks on host threads"),
        ["System.Threading.ThreadPool"] = new("threading", "queues work on the host thread pool"),
        ["System.Threading.Thread"] = new("threading", "creates and controls host threads"),
        [Interop + ".DllImportAttribute"] = new("pinvoke", "calls native code"),
        [Interop + ".LibraryImportAttribute"] = new("pinvoke", "calls native code"),
        [Interop + ".Marshal"] = new("interop", "reads and writes raw memory"),
        [Interop + ".GCHandle"] = new("interop", "pins objects and turns them into raw addresses"),
        [Interop + ".NativeLibrary"] = new("interop", "loads native code"),
        [Interop + ".MemoryMarshal"] = new("unsafe-api", "reinterprets memory, breaking type safety"),
        [Interop + ".CollectionsMarshal"] = new("unsafe-api", "exposes collection internals without checks"),
        [Interop + ".FieldOffsetAttribute"] = new("explicit-layout", "overlapping fields break type safety"),
        [Interop + ".StructLayoutAttribute"] = new("explicit-layout", "explicit layout lets fields overlap, breaking type safety"),
        [Cs + ".Unsafe"] = new("unsafe-api", "reinterprets memory, breaking type safety"),
        [Cs + ".RuntimeHelpers"] = new("runtime-helpers", "reaches runtime internals"),
        [Cs + ".DynamicAttribute"] = new("dynamic", "dynamic binding is reflection"),
        [Cs + ".ModuleInitializerAttribute"] = new("not-allowlisted", "module initializers run outside any handler"),
        [Cs + ".SkipLocalsInitAttribute"] = new("unsafe", "uninitialized locals expose stale memory"),
    };

    // Deny list by member: (type, member) -> rule; the optional predicate looks at parameter types.
    private static readonly (string Type, string Member, Func<IReadOnlyList<string>?, bool>? When, RuleHit Hit)[] DeniedMembers =
    [
        ("System.Linq.Expressions.LambdaExpression", "Compile", null, new("emit", "compiles an expression tree into code")),
        ("System.Linq.Expressions.Expression`1", "Compile", null, new("emit", "compiles an expression tree into code")),
        ("System.Linq.Expressions.LambdaExpression", "CompileToMethod", null, new("emit", "compiles an expression tree into code")),
        ("System.Linq.Expressions.Expression", "Dynamic", null, new("dynamic", "dynamic binding is reflection")),
        ("System.Linq.Expressions.Expression", "MakeDynamic", null, new("dynamic", "dynamic binding is reflection")),
        ("System.Linq.Expressions.Expression", "Call", TakesString, new("reflection", "looks a method up by name")),
        ("System.Linq.Expressions.Expression", "Property", TakesString, new("reflection", "looks a property up by name")),
        ("System.Linq.Expressions.Expression", "Field", TakesString, new("reflection", "looks a field up by name")),
        ("System.Linq.Expressions.Expression", "PropertyOrField", null, new("reflection", "looks a member up by name")),
        ("System.Linq.Expressions.Expression", "New", TakesType, new("reflection", "creates an instance of a type chosen at run time")),
        ("System.Type", "GetType", null, new("reflection", "looks a type up by name")),
        ("System.Delegate", "CreateDelegate", null, new("reflection", "binds a delegate to a method chosen at run time")),
        ("System.Delegate", "DynamicInvoke", null, new("reflection", "invokes through reflection")),
        ("System.Delegate", "Method", null, new("reflection", "exposes the target method's reflection object")),
        ("System.Exception", "TargetSite", null, new("reflection", "exposes a method's reflection object")),
        ("System.Array", "CreateInstance", null, new("reflection", "creates arrays of a type chosen at run time")),
        ("System.Array", "CreateInstanceFromArrayType", null, new("reflection", "creates arrays of a type chosen at run time")),
        ("System.DateTime", "Now", null, new("environment", "reads the host clock")),
        ("System.DateTime", "UtcNow", null, new("environment", "reads the host clock")),
        ("System.DateTime", "Today", null, new("environment", "reads the host clock")),
        ("System.DateTimeOffset", "Now", null, new("environment", "reads the host clock")),
        ("System.DateTimeOffset", "UtcNow", null, new("environment", "reads the host clock")),
        ("System.Globalization.CultureInfo", "CurrentCulture", null, new("environment", "the host thread's culture belongs to the kernel")),
        ("System.Globalization.CultureInfo", "CurrentUICulture", null, new("environment", "the host thread's culture belongs to the kernel")),
        ("System.Globalization.CultureInfo", "DefaultThreadCurrentCulture", null, new("environment", "the host process's culture belongs to the kernel")),
        ("System.Globalization.CultureInfo", "DefaultThreadCurrentUICulture", null, new("environment", "the host process's culture belongs to the kernel")),
    ];

    // System.Type is allowed only as an opaque name for typeof/GetType; these members are harmless.
    private static readonly HashSet<string> TypeMembers =
        ["Name", "FullName", "Namespace", "op_Equality", "op_Inequality", "Equals", "GetHashCode", "ToString"];

    // Members allowed although their declaring type is denied (inherited by an allowed type).
    private static readonly HashSet<string> AllowedMembers =
        ["System.Reflection.MemberInfo.Name", "System.Reflection.MemberInfo.get_Name"];

    // Namespaces whose every type is allowed unless denied above (exact match, not prefix).
    private static readonly HashSet<string> AllowedNamespaces =
    [
        "System.Collections", "System.Collections.Generic", "System.Collections.ObjectModel", "System.Linq",
        "System.Linq.Expressions", "System.Text", "System.Numerics", "System.Globalization",
        "System.Buffers.Binary", "System.Diagnostics.CodeAnalysis",
    ];

    private static readonly HashSet<string> AllowedSystemTypes =
    [
        "Object", "String", "Boolean", "Char", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64",
        "UInt64", "Int128", "UInt128", "IntPtr", "UIntPtr", "Single", "Double", "Decimal", "Half", "Void",
        "Math", "MathF", "Span`1", "ReadOnlySpan`1", "Memory`1", "ReadOnlyMemory`1", "MemoryExtensions",
        "Array", "ArraySegment`1", "Nullable", "Nullable`1", "Predicate`1", "Comparison`1", "Converter`2",
        "EventHandler", "EventHandler`1", "EventArgs", "Enum", "ValueType", "Delegate", "MulticastDelegate",
        "Attribute", "AttributeUsageAttribute", "AttributeTargets", "ObsoleteAttribute", "FlagsAttribute",
        "ParamArrayAttribute", "CLSCompliantAttribute", "IComparable", "IComparable`1", "IEquatable`1",
        "IDisposable", "IFormattable", "IFormatProvider", "ISpanFormattable", "IUtf8SpanFormattable",
        "IParsable`1", "ISpanParsable`1", "ICloneable", "IObservable`1", "IObserver`1", "Index", "Range",
        "Guid", "DateTime", "DateTimeOffset", "TimeSpan", "DayOfWeek", "DateTimeKind", "BitConverter",
        "Convert", "HashCode", "StringComparison", "StringComparer", "StringSplitOptions", "Lazy`1",
        "Random", "Buffer", "FormattableString", "MidpointRounding", "Type", "Version", "CharEnumerator",
        "Base64FormattingOptions", "Tuple", "ValueTuple", "Action",
    ];

    private static readonly string[] AllowedSystemTypePrefixes = ["Func`", "Action`", "Tuple`", "ValueTuple`"];

    // Compiler-support types an author may name or the compiler emits for ordinary C#.
    private static readonly HashSet<string> AllowedCompilerServicesTypes =
    [
        "IsReadOnlyAttribute", "IsByRefLikeAttribute", "IsUnmanagedAttribute", "NullableAttribute",
        "NullableContextAttribute", "NullablePublicOnlyAttribute", "CompilerGeneratedAttribute",
        "ExtensionAttribute", "IteratorStateMachineAttribute", "TupleElementNamesAttribute", "IsExternalInit",
        "RefSafetyRulesAttribute", "ScopedRefAttribute", "RequiredMemberAttribute",
        "CompilerFeatureRequiredAttribute", "DefaultInterpolatedStringHandler", "FormattableStringFactory",
        "InlineArrayAttribute", "CollectionBuilderAttribute", "ParamCollectionAttribute",
        "InterpolatedStringHandlerAttribute", "InterpolatedStringHandlerArgumentAttribute",
        "CallerMemberNameAttribute", "CallerFilePathAttribute", "CallerLineNumberAttribute",
        "CallerArgumentExpressionAttribute", "NativeIntegerAttribute", "ITuple", "MethodImplAttribute",
        "MethodImplOptions", "CompilationRelaxationsAttribute", "RuntimeCompatibilityAttribute",
        "IsVolatile", "PreserveBaseOverridesAttribute", "OverloadResolutionPriorityAttribute",
        "ExtensionMarkerAttribute", "EmbeddedAttribute", "MemberNotNullAttribute",
    ];

    // References the compiler itself emits in the IL of ordinary code (never nameable in source).
    private static readonly HashSet<string> LoweringHelpers =
    [
        "System.Type.GetTypeFromHandle", "System.RuntimeTypeHandle", "System.RuntimeFieldHandle",
        "System.RuntimeMethodHandle", "System.Reflection.MethodBase.GetMethodFromHandle",
        "System.Reflection.FieldInfo.GetFieldFromHandle", "System.Reflection.MethodBase",
        "System.Reflection.MethodInfo", "System.Reflection.FieldInfo", "System.Reflection.ConstructorInfo",
        "System.Reflection.DefaultMemberAttribute", "System.Reflection.DefaultMemberAttribute..ctor",
        "System.Diagnostics.DebuggableAttribute", "System.Diagnostics.DebuggableAttribute..ctor",
        "System.Diagnostics.DebuggerHiddenAttribute", "System.Diagnostics.DebuggerHiddenAttribute..ctor",
        "System.Diagnostics.DebuggerDisplayAttribute", "System.Diagnostics.DebuggerDisplayAttribute..ctor",
        "System.Diagnostics.DebuggerBrowsableAttribute", "System.Diagnostics.DebuggerBrowsableAttribute..ctor",
        "System.Diagnostics.DebuggerStepThroughAttribute", "System.Diagnostics.DebuggerStepThroughAttribute..ctor",
        "System.Diagnostics.DebuggerNonUserCodeAttribute", "System.Diagnostics.DebuggerNonUserCodeAttribute..ctor",
        "System.IAsyncResult", "System.AsyncCallback",
        Cs + ".RuntimeHelpers.InitializeArray", Cs + ".RuntimeHelpers.CreateSpan",
        Cs + ".RuntimeHelpers.GetSubArray", Cs + ".RuntimeHelpers.EnsureSufficientExecutionStack",
        Interop + ".CollectionsMarshal.SetCount", Interop + ".CollectionsMarshal.AsSpan",
        "System.Environment.get_CurrentManagedThreadId", Interop + ".InAttribute", Interop + ".UnmanagedType",
    ];

    // References only <PrivateImplementationDetails> helpers (inline-array spans) may make.
    private static readonly HashSet<string> SynthesizedHelpers =
    [
        Cs + ".Unsafe.As", Cs + ".Unsafe.Add", Cs + ".Unsafe.AsRef",
        Interop + ".MemoryMarshal.CreateSpan", Interop + ".MemoryMarshal.CreateReadOnlySpan",
    ];

    private static bool TakesString(IReadOnlyList<string>? ps) => ps is not null && ps.Contains("System.String");
    private static bool TakesType(IReadOnlyList<string>? ps) => ps is not null && ps.Contains("System.Type");

    /// <summary>Checks a base-library or Spindle.Sdk reference. Returns null if allowed.</summary>
    /// <param name="r">The reference (a type, or one of its members).</param>
    /// <param name="site">Where it occurs: source, compiler-lowered IL, or a synthesized helper.</param>
    /// <param name="sdkGrants">The Spindle.Sdk namespaces the extension was granted.</param>
    public static RuleHit? Check(in ApiRef r, RefSite site, IReadOnlySet<string> sdkGrants)
    {
        if (site != RefSite.Source && IsHelper(r, LoweringHelpers)) return null;
        if (site == RefSite.Synthesized && IsHelper(r, SynthesizedHelpers)) return null;

        if (AllowedMembers.Contains(r.ToString())) return null;
        string type = r.TypeFullName;
        if (r.Member is { } member)
        {
            string plain = StripAccessor(member);
            foreach (var d in DeniedMembers)
                if (d.Type == type && (d.Member == member || d.Member == plain) && (d.When is null || d.When(r.ParamTypes)))
                    return d.Hit;
        }
        if (DeniedTypes.TryGetValue(type, out var hit)) return hit;
        foreach (var (prefix, nsHit) in DeniedNamespaces)
            if (r.Namespace == prefix || r.Namespace.StartsWith(prefix + ".", StringComparison.Ordinal))
                return nsHit;

        if (r.Namespace == "Spindle.Sdk" || r.Namespace.StartsWith("Spindle.Sdk.", StringComparison.Ordinal))
            return sdkGrants.Contains(r.Namespace) ? null
                : new RuleHit("sdk-grant", $"namespace {r.Namespace} was not granted to this extension");

        if (type == "System.Type" && r.Member is { } m && !TypeMembers.Contains(StripAccessor(m)))
            return new RuleHit("reflection", "System.Type is opaque to extensions: only its name and equality");

        return IsAllowlisted(r) ? null
            : new RuleHit("not-allowlisted", "not in the base-library allowlist for extensions");
    }

    /// <summary>True if the namespace is the privileged runtime namespace (or inside it).</summary>
    public static bool IsPrivileged(string ns) =>
        PrivilegedSdkNamespaces.Any(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal));

    private static bool IsHelper(in ApiRef r, HashSet<string> helpers) =>
        helpers.Contains(r.TypeFullName) && r.Member is null || helpers.Contains(r.ToString());

    private static bool IsAllowlisted(ApiRef r)
    {
        if (AllowedNamespaces.Contains(r.Namespace)) return true;
        return r.Namespace switch
        {
            "System" => AllowedSystemTypes.Contains(r.TypeName)
                        || r.TypeName.EndsWith("Exception", StringComparison.Ordinal)
                        || AllowedSystemTypePrefixes.Any(p => r.TypeName.StartsWith(p, StringComparison.Ordinal)),
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
