using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// Refuses the data shapes over which the base library recurses with no probe in between. The base library's own
/// <c>Equals</c>, <c>GetHashCode</c> and <c>ToString</c> of value tuples, key-value pairs, dictionary entries and
/// <c>Lazy</c>, <c>ValueType</c>'s defaults, and <c>Exception.ToString</c> call the same members of what they hold;
/// reached through <c>object</c> (hashing a key, formatting a value), a value that holds a boxed value of its own kind,
/// nested a million deep, recurses a million frames deep on the kernel's stack. Nesting needs a slot that can hold
/// such a value: a type argument or a field that is <c>object</c>, <c>ValueType</c>, <c>Enum</c>, an interface or a
/// type parameter ("open"), or an exception wrapping another. So the extension may not name those types over open
/// arguments, may not declare a struct with open fields that keeps the default equality, and may not make an
/// exception wrap another (the runtime's own wrappers are one level deep).
/// </summary>
/// <remarks>
/// Limitation: expression trees, which guards need, can still be built deep and formatted through <c>object</c>.
/// </remarks>
internal static class StructuralRecursion
{
    // Base-library generics whose structural members recurse into their type arguments (or whose non-generic
    // enumerators box such a value: a dictionary yields KeyValuePair and DictionaryEntry).
    private static readonly HashSet<string> Recursive =
    [
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5",
        "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8", "System.Lazy`1",
        "System.Collections.Generic.KeyValuePair`2", "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IReadOnlyDictionary`2",
    ];

    /// <summary>A sentence naming the first refused shape, or null if there is none.</summary>
    public static string? Find(ModuleDefinition module)
    {
        foreach (var type in module.GetTypes())
        {
            if (OpenStructWithDefaultEquality(type) is { } field)
                return $"{type.FullName}: a struct with a field ({field.Name}) that can hold any boxed value, and the default Equals/GetHashCode, which recurse into it in the base library (override both)";
            if ((Find(type.BaseType) ?? type.Interfaces.Select(i => Find(i.InterfaceType)).FirstOrDefault(w => w is not null)) is { } bad)
                return $"{type.FullName}: {bad}";
            foreach (var f in type.Fields)
                if (Find(f.FieldType) is { } inField) return $"{type.FullName}::{f.Name}: {inField}";
            foreach (var method in type.Methods)
                if (FindIn(method) is { } inMethod) return $"{method.FullName}: {inMethod}";
        }
        return null;
    }

    private static string? FindIn(MethodDefinition method)
    {
        if ((Find(method.ReturnType) ?? method.Parameters.Select(p => Find(p.ParameterType)).FirstOrDefault(w => w is not null)) is { } sig) return sig;
        if (!method.HasBody) return null;
        foreach (var local in method.Body.Variables)
            if (Find(local.VariableType) is { } inLocal) return inLocal;
        foreach (var ins in method.Body.Instructions)
        {
            switch (ins.Operand)
            {
                case TypeReference t when Find(t) is { } inType:
                    return inType;
                case MethodReference m:
                    if (m.Name == ".ctor" && m.Parameters.Any(p => WrapsException(p.ParameterType)))
                        return $"{m.DeclaringType.Name} is made to wrap another exception: InnerException chains recurse in the base library's ToString";
                    // A reference's own signature is written over its declaring type's parameters; the instantiation is in
                    // its declaring type and method arguments.
                    if ((Find(m.DeclaringType) ?? (m as GenericInstanceMethod)?.GenericArguments.Select(Find).FirstOrDefault(w => w is not null)) is { } inCall)
                        return inCall;
                    break;
                case FieldReference f when Find(f.DeclaringType) is { } inFieldRef:
                    return inFieldRef;
            }
        }
        return null;
    }

    // Why `type` is refused, or null: a recursive generic over an open argument, anywhere inside it.
    private static string? Find(TypeReference? type)
    {
        switch (type)
        {
            case null:
                return null;
            case GenericInstanceType g:
                string name = g.ElementType.FullName;
                if (Recursive.Contains(name) && g.GenericArguments.FirstOrDefault(IsOpen) is { } open)
                    return $"{name.Split('.')[^1]} over {open.Name}: its Equals, GetHashCode and ToString recurse into what it holds, in the base library";
                return g.GenericArguments.Select(Find).FirstOrDefault(w => w is not null);
            case TypeSpecification spec:
                return Find(spec.ElementType);
            default:
                return type.FullName == "System.Collections.DictionaryEntry"
                    ? "DictionaryEntry holds two objects, and its default equality recurses into them in the base library" : null;
        }
    }

    // The interfaces a boxed value tuple can be stored as (key-value pairs, entries and Lazy implement none).
    private static readonly HashSet<string> TupleInterfaces =
    [
        "System.IComparable", "System.IComparable`1", "System.IEquatable`1", "System.Runtime.CompilerServices.ITuple",
        "System.Collections.IStructuralEquatable", "System.Collections.IStructuralComparable",
    ];

    // A type argument that can hold a boxed value of the recursive kinds: object, ValueType, Enum, a type
    // parameter, or an interface a value tuple implements.
    private static bool IsOpen(TypeReference t) =>
        t is GenericParameter || t.FullName is "System.Object" or "System.ValueType" or "System.Enum"
        || TupleInterfaces.Contains((t as GenericInstanceType)?.ElementType.FullName ?? t.FullName);

    // A struct field that can hold a boxed value of its own struct: as IsOpen, or any interface (the struct may implement it).
    private static bool IsOpenField(TypeReference t) =>
        IsOpen(t) || !t.IsValueType && t is not ArrayType && Resolve(t) is { IsInterface: true };

    // A struct of this module with an open field and without both Equals(object) and GetHashCode() of its own.
    private static FieldDefinition? OpenStructWithDefaultEquality(TypeDefinition type)
    {
        if (!type.IsValueType || type.IsEnum) return null;
        bool equals = type.Methods.Any(m => m.Name == "Equals" && m.IsVirtual && m.Parameters.Count == 1 && m.Parameters[0].ParameterType.FullName == "System.Object");
        bool hash = type.Methods.Any(m => m.Name == "GetHashCode" && m.IsVirtual && m.Parameters.Count == 0);
        return equals && hash ? null : type.Fields.FirstOrDefault(f => !f.IsStatic && IsOpenField(f.FieldType));
    }

    // A parameter through which a constructor takes another exception (Exception, Exception[], IEnumerable<Exception>...).
    private static bool WrapsException(TypeReference t) => t switch
    {
        GenericInstanceType g => g.GenericArguments.Any(WrapsException),
        TypeSpecification s => WrapsException(s.ElementType),
        _ => t.FullName == "System.Exception" || (Resolve(t) is { } d && IsException(d)),
    };

    private static bool IsException(TypeDefinition d)
    {
        for (var t = d; t is not null; t = t.BaseType is null ? null : Resolve(t.BaseType))
            if (t.FullName == "System.Exception") return true;
        return false;
    }

    private static TypeDefinition? Resolve(TypeReference t)
    {
        try { return t.Resolve(); } catch (AssemblyResolutionException) { return null; }
    }
}
