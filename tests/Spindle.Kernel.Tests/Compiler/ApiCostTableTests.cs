using System.Collections;
using System.Collections.ObjectModel;
using System.Linq.Expressions;
using System.Reflection;
using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>
/// The cost table is complete, like gVisor's syscall table: every public or protected member of every allowed
/// base-library type that carries data is priced, declared constant, or refused by a named rule (or by a type
/// in its signature that extensions may not name). A member a new runtime adds fails here until it is classified.
/// </summary>
public sealed class ApiCostTableTests
{
    // The runtime assemblies behind the reference assemblies extensions compile against.
    private static readonly Assembly[] Runtime =
    [
        typeof(object).Assembly, typeof(SortedSet<>).Assembly, typeof(BitArray).Assembly,
        typeof(KeyedCollection<,>).Assembly, typeof(Expression).Assembly, typeof(System.Buffers.Binary.BinaryPrimitives).Assembly,
    ];

    private static readonly string[] DataNamespaces =
    [
        "System.Collections", "System.Collections.Generic", "System.Collections.ObjectModel", "System.Text",
        "System.Globalization", "System.Numerics", "System.Buffers.Binary",
    ];

    // The System types the brief names, which must be in the table whatever else is.
    private static readonly string[] RequiredSystemTypes =
    [
        "System.String", "System.Array", "System.Span`1", "System.ReadOnlySpan`1", "System.Memory`1", "System.ReadOnlyMemory`1",
        "System.MemoryExtensions", "System.Convert", "System.BitConverter",
    ];

    // Operators C# gives these types without a member of that name (string + string, object == object, !bool).
    private static readonly string[] BuiltInOperators = ["op_Addition", "op_Equality", "op_Inequality", "op_LogicalNot"];

    private static readonly HashSet<string> NoGrants = [];

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static Type RuntimeType(string name) =>
        Runtime.Select(a => a.GetType(name)).FirstOrDefault(t => t is not null) ?? throw new InvalidOperationException($"{name} not found");

    // Public and protected members: what extension code can reference.
    private static IEnumerable<MemberInfo> Reachable(Type t) =>
        t.GetMembers(Declared).Where(m => m switch
        {
            MethodBase b => b.IsPublic || b.IsFamily || b.IsFamilyOrAssembly,
            FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
            _ => false,
        });

    [Fact]
    public void EveryMemberOfEveryPricedType_IsPricedConstantOrRefused()
    {
        var unclassified = new List<string>();
        foreach (string name in ApiCosts.Types)
        {
            var type = RuntimeType(name);
            foreach (var member in Reachable(type))
                if (ApiCosts.Of(name, member.Name) is null && ApiRules.Denied(RefTo(type, member)) is null && !CarriesRefusedType(member))
                    unclassified.Add($"{name}.{member.Name} ({member})");
        }
        Assert.True(unclassified.Count == 0, "neither priced, constant nor refused:\n" + string.Join("\n", unclassified.Distinct()));
    }

    [Fact]
    public void EveryAllowedTypeOfTheDataNamespaces_IsInTheTable()
    {
        var missing = Runtime.SelectMany(a => a.GetExportedTypes())
            .Where(t => DataNamespaces.Contains(Outermost(t).Namespace) && ApiRules.Check(RefTo(t, null), RefSite.Emitted, NoGrants) is null)
            .Select(t => t.FullName!).Where(n => !ApiCosts.Covers(n)).Concat(RequiredSystemTypes.Where(n => !ApiCosts.Covers(n)));
        Assert.Empty(missing);
    }

    [Fact]
    public void TheTableNamesOnlyMembersThatExist()
    {
        // The primitives share one list: a name is real if any of them has it.
        Type[] primitiveTypes = [typeof(bool), typeof(char), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int),
            typeof(uint), typeof(long), typeof(ulong), typeof(Int128), typeof(UInt128), typeof(nint), typeof(nuint), typeof(Half),
            typeof(float), typeof(double), typeof(decimal)];
        var primitives = primitiveTypes.Select(t => t.FullName!).ToHashSet();
        var primitiveNames = primitiveTypes.SelectMany(Reachable).Select(m => m.Name).ToHashSet();
        var invented = new List<string>();
        foreach (string name in ApiCosts.Types)
        {
            var type = RuntimeType(name);
            var real = primitives.Contains(name) ? primitiveNames : Reachable(type).Select(m => m.Name).ToHashSet();
            foreach (string member in ApiCosts.MembersOf(name))
                if (!real.Contains(member) && !BuiltInOperators.Contains(member) && member != ApiCosts.AnyMember) invented.Add($"{name}.{member}");
        }
        Assert.True(invented.Count == 0, "the table names members that do not exist:\n" + string.Join("\n", invented));
    }

    [Theory]
    [InlineData("System.String", "IndexOf", (int)Cost.Product)]
    [InlineData("System.String", "PadLeft", (int)(Cost.This | Cost.Count | Cost.Allocates))]
    [InlineData("System.String", "get_Length", (int)Cost.Constant)]
    [InlineData("System.Text.StringBuilder", "Append", (int)(Cost.Count | Cost.Args | Cost.Allocates))]
    [InlineData("System.Array", "Sort", (int)Cost.Args)]
    [InlineData("System.Collections.Generic.List`1", ".ctor", (int)(Cost.Count | Cost.Args | Cost.Allocates))]
    [InlineData("System.Collections.Generic.List`1", "Contains", (int)Cost.Product)]
    [InlineData("System.Collections.Generic.Dictionary`2", "ContainsValue", (int)Cost.Product)]
    [InlineData("System.Collections.Generic.HashSet`1", "UnionWith", (int)(Cost.Args | Cost.Allocates))]
    [InlineData("System.Globalization.NumberStyles", "op_BitwiseOr", (int)Cost.Constant)]
    public void KnownMembers_HaveTheirCost(string type, string member, int cost) => Assert.Equal((Cost)cost, ApiCosts.Of(type, member));

    [Theory]
    [InlineData("System.Collections.ArrayList")]
    [InlineData("System.Collections.Hashtable")]
    [InlineData("System.Globalization.CompareInfo")]
    [InlineData("System.Globalization.GregorianCalendar")]
    [InlineData("System.Text.EncoderFallback")]
    public void TypesOfTheDataNamespacesOutsideTheTable_AreRefused(string type)
    {
        int dot = type.LastIndexOf('.');
        Assert.NotNull(ApiRules.Check(new ApiRef(type[..dot], type[(dot + 1)..], null), RefSite.Source, NoGrants));
    }

    private static Type Outermost(Type t)
    {
        while (t.DeclaringType is { } d) t = d;
        return t;
    }

    private static ApiRef RefTo(Type type, MemberInfo? member)
    {
        var outer = Outermost(type);
        string? nested = type == outer ? null : type.FullName![(outer.FullName!.Length + 1)..];
        IReadOnlyList<string>? ps = member is MethodBase m ? m.GetParameters().Select(p => SigName(p.ParameterType)).ToList() : null;
        return new ApiRef(outer.Namespace ?? "", outer.Name, member?.Name, ps, nested);
    }

    // A type's name as the metadata policy spells parameter types.
    private static string SigName(Type t) =>
        t.IsGenericParameter ? (t.DeclaringMethod is null ? "!" : "!!") + t.GenericParameterPosition
        : t.IsByRef ? SigName(t.GetElementType()!) + "&"
        : t.IsPointer ? SigName(t.GetElementType()!) + "*"
        : t.IsSZArray ? SigName(t.GetElementType()!) + "[]"
        : t.IsGenericType ? t.GetGenericTypeDefinition().FullName!
        : t.FullName ?? t.Name;

    // True if the member's signature carries a pointer or a type extensions may not name (both policies refuse it).
    private static bool CarriesRefusedType(MemberInfo member) => member switch
    {
        MethodInfo m => m.GetParameters().Any(p => IsRefused(p.ParameterType)) || IsRefused(m.ReturnType),
        ConstructorInfo c => c.GetParameters().Any(p => IsRefused(p.ParameterType)),
        FieldInfo f => IsRefused(f.FieldType),
        _ => false,
    };

    private static bool IsRefused(Type t)
    {
        if (t.IsGenericParameter) return false;
        if (t.IsPointer || t.IsFunctionPointer || t.IsUnmanagedFunctionPointer) return true;
        if (t.HasElementType) return IsRefused(t.GetElementType()!);
        if (t.IsGenericType && !t.IsGenericTypeDefinition)
            return IsRefused(t.GetGenericTypeDefinition()) || t.GetGenericArguments().Any(IsRefused);
        return ApiRules.Check(RefTo(t, null), RefSite.Emitted, NoGrants) is not null;
    }
}
