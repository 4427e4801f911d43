namespace Spindle.Kernel.Compiler;

// ApiRules' data: the deny lists with their reasons, and the open types and helpers allowed beside the cost table.
internal static partial class ApiRules
{
    private const string Cs = "System.Runtime.CompilerServices";
    private const string Interop = "System.Runtime.InteropServices";
    private const string Generic = "System.Collections.Generic";
    private const string Expressions = "System.Linq.Expressions";

    private static readonly RuleHit Clock = new("environment", "reads the host clock");
    private static readonly RuleHit TimeZone = new("environment", "converts through the host's time zone");
    private static readonly RuleHit ThreadCulture = new("environment", "formats with the host thread's culture");
    private static readonly RuleHit Recursion = new("recursion", "recurses over data the extension built, on the kernel's stack");
    private static readonly RuleHit Shared = new("shared-state", "carries data between domains");
    private static readonly RuleHit Linq = new("cost", "LINQ operators do work the meter cannot see: lazy chains of base-library iterators and fused closures");
    private static readonly RuleHit SizeByValue = new("cost", "sets a buffer's size from a property value, which the meter cannot charge: use EnsureCapacity or the constructor");
    private static readonly RuleHit SequenceSearch = new("cost", "searches for a sequence: the work is the product of the two lengths, which the meter cannot charge on a static call (search for single elements, or use string.IndexOf)");
    private static readonly RuleHit ScanningEnumerator = new("cost", "each MoveNext scans to the next separator unmetered: use IndexOf, or Split(source, Span<Range>, char)");
    private static readonly RuleHit LazyView = new("cost", "returns a view whose Count and enumeration rescan the set unmetered");

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

    // Deny list by exact namespace (System.Linq, not System.Linq.Expressions).
    private static readonly Dictionary<string, RuleHit> DeniedExactNamespaces = new() { ["System.Linq"] = Linq };

    // Deny list by type (namespace-qualified metadata name).
    private static readonly Dictionary<string, RuleHit> DeniedTypes = new()
    {
        ["System.Console"] = new("console", "the host console belongs to the kernel"),
        ["System.Environment"] = new("environment", "reads and changes the host process environment"),
        ["System.AppContext"] = new("environment", "reads and changes host process switches"),
        ["System.AppDomain"] = new("environment", "reaches the host application domain"),
        ["System.TimeZoneInfo"] = new("environment", "reads the host's time zones"),
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
        [Cs + ".InternalsVisibleToAttribute"] = new("internals-visible", "opens the extension's internals to any assembly of that name (for test builds, declare it in the project file instead)"),
        ["System.Numerics.BigInteger"] = new("cost", "arbitrary-precision arithmetic is superlinear in its operands' sizes (Pow, Multiply, Parse, ToString), which the meter cannot see"),
        ["System.Numerics.Complex"] = new("cost", "System.Runtime.Numerics is not granted to extensions: its BigInteger arithmetic is superlinear in its operands' sizes"),
        [Expressions + ".ExpressionVisitor"] = Recursion,
        ["System.Collections.StructuralComparisons"] = Recursion,
        ["System.Collections.IStructuralEquatable"] = Recursion,
        ["System.Collections.IStructuralComparable"] = Recursion,
        // The reference tuples: ToString, Equals, GetHashCode and CompareTo recurse through object-typed items.
        ["System.Tuple"] = Recursion, ["System.Tuple`1"] = Recursion, ["System.Tuple`2"] = Recursion, ["System.Tuple`3"] = Recursion,
        ["System.Tuple`4"] = Recursion, ["System.Tuple`5"] = Recursion, ["System.Tuple`6"] = Recursion, ["System.Tuple`7"] = Recursion,
        ["System.Tuple`8"] = Recursion,
    };

    // Deny list by member: (declaring type, member) -> rule; the optional predicate looks at parameter types.
    private static readonly (string Type, string Member, Func<IReadOnlyList<string>?, bool>? When, RuleHit Hit)[] DeniedMembers =
    [
        (Expressions + ".LambdaExpression", "Compile", null, new("emit", "compiles an expression tree into code")),
        (Expressions + ".Expression`1", "Compile", null, new("emit", "compiles an expression tree into code")),
        (Expressions + ".LambdaExpression", "CompileToMethod", null, new("emit", "compiles an expression tree into code")),
        (Expressions + ".Expression", "Dynamic", null, new("dynamic", "dynamic binding is reflection")),
        (Expressions + ".Expression", "MakeDynamic", null, new("dynamic", "dynamic binding is reflection")),
        (Expressions + ".Expression", "Call", TakesString, new("reflection", "looks a method up by name")),
        (Expressions + ".Expression", "Property", TakesString, new("reflection", "looks a property up by name")),
        (Expressions + ".Expression", "Field", TakesString, new("reflection", "looks a field up by name")),
        (Expressions + ".Expression", "PropertyOrField", null, new("reflection", "looks a member up by name")),
        (Expressions + ".Expression", "New", TakesType, new("reflection", "creates an instance of a type chosen at run time")),
        ("System.Type", "GetType", null, new("reflection", "looks a type up by name")),
        ("System.Delegate", "CreateDelegate", null, new("reflection", "binds a delegate to a method chosen at run time")),
        ("System.Delegate", "DynamicInvoke", null, new("reflection", "invokes through reflection")),
        ("System.Delegate", "Method", null, new("reflection", "exposes the target method's reflection object")),
        ("System.Exception", "TargetSite", null, new("reflection", "exposes a method's reflection object")),
        ("System.Array", "CreateInstance", null, new("reflection", "creates arrays of a type chosen at run time")),
        ("System.Array", "CreateInstanceFromArrayType", null, new("reflection", "creates arrays of a type chosen at run time")),
        ("System.Memory`1", "Pin", null, new("interop", "pins memory and yields a raw address")),
        ("System.ReadOnlyMemory`1", "Pin", null, new("interop", "pins memory and yields a raw address")),
        ("System.Text.Encoding", "RegisterProvider", null, new("environment", "changes the host process's encoding providers")),
        ("System.Text.Encoding", "Default", null, new("environment", "the host's default encoding belongs to the kernel")),
        ("System.DateTime", "Now", null, Clock),
        ("System.DateTime", "UtcNow", null, Clock),
        ("System.DateTime", "Today", null, Clock),
        ("System.DateTimeOffset", "Now", null, Clock),
        ("System.DateTimeOffset", "UtcNow", null, Clock),
        ("System.Guid", "CreateVersion7", null, new("environment", "reads the host clock, like DateTime.Now")),
        ("System.DateTime", "ToLocalTime", null, TimeZone),
        ("System.DateTime", "ToUniversalTime", null, TimeZone),
        ("System.DateTime", "IsDaylightSavingTime", null, TimeZone),
        ("System.DateTime", "FromFileTime", null, TimeZone),
        ("System.DateTime", "ToFileTime", null, TimeZone),
        ("System.DateTimeOffset", "ToLocalTime", null, TimeZone),
        ("System.DateTimeOffset", "LocalDateTime", null, TimeZone),
        ("System.DateTimeOffset", "op_Implicit", null, TimeZone),
        ("System.DateTimeOffset", ".ctor", ps => ps is ["System.DateTime"], TimeZone),
        ("System.DateTime", "Parse", null, TimeZone),
        ("System.DateTime", "TryParse", null, TimeZone),
        ("System.DateTime", "ParseExact", null, TimeZone),
        ("System.DateTime", "TryParseExact", null, TimeZone),
        ("System.DateTimeOffset", "Parse", null, TimeZone),
        ("System.DateTimeOffset", "TryParse", null, TimeZone),
        ("System.DateTimeOffset", "ParseExact", null, TimeZone),
        ("System.DateTimeOffset", "TryParseExact", null, TimeZone),
        ("System.DateTime", "GetDateTimeFormats", null, ThreadCulture),
        ("System.DateTime", "ToLongDateString", null, ThreadCulture),
        ("System.DateTime", "ToLongTimeString", null, ThreadCulture),
        ("System.DateTime", "ToShortDateString", null, ThreadCulture),
        ("System.DateTime", "ToShortTimeString", null, ThreadCulture),
        ("System.StringComparer", "CurrentCulture", null, ThreadCulture),
        ("System.StringComparer", "CurrentCultureIgnoreCase", null, ThreadCulture),
        ("System.FormattableString", "CurrentCulture", null, ThreadCulture),
        ("System.Globalization.CultureInfo", "CurrentCulture", null, new("environment", "the host thread's culture belongs to the kernel")),
        ("System.Globalization.CultureInfo", "CurrentUICulture", null, new("environment", "the host thread's culture belongs to the kernel")),
        ("System.Globalization.CultureInfo", "DefaultThreadCurrentCulture", null, new("environment", "the host process's culture belongs to the kernel")),
        ("System.Globalization.CultureInfo", "DefaultThreadCurrentUICulture", null, new("environment", "the host process's culture belongs to the kernel")),
        ("System.String", "Intern", null, Shared),
        ("System.String", "IsInterned", null, Shared),
        ("System.Random", "Shared", null, Shared),
        (Generic + ".KeyValuePair`2", "ToString", null, Recursion),
        ("System.Collections.DictionaryEntry", "ToString", null, Recursion),
        ("System.String", "Split", TakesStringArray, new("cost", "splitting by an array of strings compares every separator at every position: the work is the product of the string's length and the separators' total length")),
        ("System.Random", "GetHexString", null, new("cost", "its length argument is not a size the meter reads: use NextBytes and Convert.ToHexString")),
        ("System.Text.StringBuilder", "Insert", ps => ps is [_, "System.String", "System.Int32"], new("cost", "inserts count copies of a string: the allocation is their product, which the meter cannot charge")),
        ("System.Text.StringBuilder", "set_Length", null, SizeByValue),
        ("System.Text.StringBuilder", "set_Capacity", null, SizeByValue),
        (Generic + ".List`1", "set_Capacity", null, SizeByValue),
        (Generic + ".SortedList`2", "set_Capacity", null, SizeByValue),
        ("System.Collections.BitArray", "set_Length", null, SizeByValue),
        (Generic + ".PriorityQueue`2", ".ctor", ps => ps is not null && ps.Contains("System.Int32"), new("cost", "its initialCapacity is not a size the meter reads: use EnsureCapacity")),
        (Generic + ".SortedSet`1", "GetViewBetween", null, LazyView),
        (Generic + ".SortedSet`1", "Reverse", null, LazyView),
        ("System.MemoryExtensions", "IndexOf", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "LastIndexOf", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "Contains", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "Count", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "IndexOfAny", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "LastIndexOfAny", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "IndexOfAnyExcept", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "LastIndexOfAnyExcept", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "ContainsAny", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "ContainsAnyExcept", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "CountAny", null, SequenceSearch),
        ("System.MemoryExtensions", "Trim", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "TrimStart", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "TrimEnd", ps => Spans(ps) >= 2, SequenceSearch),
        ("System.MemoryExtensions", "SplitAny", null, SequenceSearch),
        ("System.MemoryExtensions", "Split", ps => ps is null || !ps.Contains("System.Char") || Spans(ps) > 2, ScanningEnumerator),
        ("System.MemoryExtensions", "EnumerateLines", null, ScanningEnumerator),
    ];

    // Deny list by member name across a family of types.
    private static readonly (Func<ApiRef, bool> Applies, string[] Members, RuleHit Hit)[] DeniedFamilies =
    [
        (r => r.Namespace == Expressions, ["ToString", "Reduce", "ReduceAndCheck", "ReduceExtensions", "DebugView"], Recursion),
        (r => r.Namespace == "System" && r.TypeName.StartsWith("ValueTuple", StringComparison.Ordinal), ["ToString"], Recursion),
        (r => r.TypeName.EndsWith("Exception", StringComparison.Ordinal), ["ToString"], new("recursion", "recurses through the InnerException chain the extension built, on the kernel's stack")),
    ];

    // Types the table lists only some members of; the others get this rule.
    private static readonly Dictionary<string, RuleHit> RestrictedTypes = new()
    {
        ["System.Type"] = new("reflection", "System.Type is opaque to extensions: only its name and equality"),
        ["System.Globalization.CultureInfo"] = new("environment", "culture data beyond the invariant culture's number format belongs to the host"),
        ["System.Globalization.NumberFormatInfo"] = new("environment", "only the invariant number format may be read: other cultures belong to the host, and a writable format's symbols could be of any size"),
    };

    // Members allowed although their declaring type is denied (inherited by an allowed type).
    private static readonly HashSet<string> AllowedMembers =
        ["System.Reflection.MemberInfo.Name", "System.Reflection.MemberInfo.get_Name"];

    // Types whose members only the compiler's lowering of interpolated strings may call.
    private static readonly HashSet<string> CompilerOnlyTypes =
    [
        Cs + ".DefaultInterpolatedStringHandler", "System.Text.StringBuilder+AppendInterpolatedStringHandler",
        "System.MemoryExtensions+TryWriteInterpolatedStringHandler",
    ];

    // Open namespaces (exact match): attributes, and expression trees (guards are expression trees).
    private static readonly HashSet<string> OpenNamespaces = [Expressions, "System.Diagnostics.CodeAnalysis"];

    // Open System types: no data of their own (the data-carrying ones are in the cost table).
    private static readonly HashSet<string> OpenSystemTypes =
    [
        "Void", "Math", "MathF", "Nullable", "Nullable`1", "Predicate`1", "Comparison`1", "Converter`2",
        "EventHandler", "EventHandler`1", "EventArgs", "ValueType", "Delegate", "MulticastDelegate",
        "Attribute", "AttributeUsageAttribute", "AttributeTargets", "ObsoleteAttribute", "FlagsAttribute",
        "ParamArrayAttribute", "CLSCompliantAttribute", "IDisposable", "ICloneable", "IObservable`1", "IObserver`1",
        "Index", "Range", "DayOfWeek", "DateTimeKind", "StringComparison", "StringSplitOptions", "Lazy`1",
        "MidpointRounding", "Base64FormattingOptions", "TypeCode", "ValueTuple", "Action",
    ];

    private static readonly string[] OpenSystemTypePrefixes = ["Func`", "Action`", "ValueTuple`"];

    // Compiler-support types an author may name or the compiler emits for ordinary C#.
    private static readonly HashSet<string> AllowedCompilerServicesTypes =
    [
        "IsReadOnlyAttribute", "IsByRefLikeAttribute", "IsUnmanagedAttribute", "NullableAttribute",
        "NullableContextAttribute", "NullablePublicOnlyAttribute", "CompilerGeneratedAttribute",
        "ExtensionAttribute", "IteratorStateMachineAttribute", "TupleElementNamesAttribute", "IsExternalInit",
        "RefSafetyRulesAttribute", "ScopedRefAttribute", "RequiredMemberAttribute",
        "CompilerFeatureRequiredAttribute", "InlineArrayAttribute", "CollectionBuilderAttribute", "ParamCollectionAttribute",
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
    private static bool TakesStringArray(IReadOnlyList<string>? ps) => ps is not null && ps.Contains("System.String[]");

    // How many parameters are spans or memory (of any element type); unknown parameters count as many.
    private static int Spans(IReadOnlyList<string>? ps) => ps is null ? int.MaxValue
        : ps.Count(p => p is "System.Span`1" or "System.ReadOnlySpan`1" or "System.Memory`1" or "System.ReadOnlyMemory`1");
}
