using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Spindle.Kernel.Compiler;

/// <summary>A decoded signature type: its full name and whether it carries a forbidden shape.</summary>
internal sealed record SigType(string Name, string? Forbidden = null)
{
    public static SigType Combine(string name, IEnumerable<SigType> parts) =>
        new(name, parts.Select(p => p.Forbidden).FirstOrDefault(f => f is not null));
}

/// <summary>
/// Decodes metadata signatures into names, flags pointers, function pointers, pinned locals and
/// typed references, and records every TypeRef a signature mentions (those are uses "as a type").
/// </summary>
internal sealed class SignatureTypes(MetadataReader md) : ISignatureTypeProvider<SigType, object?>
{
    /// <summary>The TypeRefs seen while decoding.</summary>
    public HashSet<TypeReferenceHandle> TypeRefsSeen { get; } = [];

    public SigType GetPrimitiveType(PrimitiveTypeCode code) => code == PrimitiveTypeCode.TypedReference
        ? new SigType("System.TypedReference", "typed reference")
        : new SigType("System." + code switch
        {
            PrimitiveTypeCode.IntPtr => "IntPtr",
            PrimitiveTypeCode.UIntPtr => "UIntPtr",
            _ => code.ToString(),
        });

    public SigType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        new(TypeNames.Of(reader, handle));

    public SigType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        TypeRefsSeen.Add(handle);
        return new SigType(TypeNames.Of(reader, handle).FullName);
    }

    public SigType GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, context);

    public SigType GetSZArrayType(SigType element) => element with { Name = element.Name + "[]" };
    public SigType GetArrayType(SigType element, ArrayShape shape) => element with { Name = element.Name + "[*]" };
    public SigType GetByReferenceType(SigType element) => element with { Name = element.Name + "&" };
    public SigType GetPointerType(SigType element) => new(element.Name + "*", "pointer type");
    public SigType GetFunctionPointerType(MethodSignature<SigType> signature) => new("method*", "function pointer type");
    public SigType GetPinnedType(SigType element) => new(element.Name + " pinned", "pinned local");
    public SigType GetModifiedType(SigType modifier, SigType unmodified, bool isRequired) => unmodified with { Forbidden = unmodified.Forbidden ?? modifier.Forbidden };
    public SigType GetGenericInstantiation(SigType genericType, ImmutableArray<SigType> typeArguments) =>
        SigType.Combine(genericType.Name, typeArguments.Prepend(genericType));
    public SigType GetGenericMethodParameter(object? context, int index) => new("!!" + index);
    public SigType GetGenericTypeParameter(object? context, int index) => new("!" + index);
    public SigType GetSentinelType() => new("...", "variable argument list");

    /// <summary>The first forbidden shape in a method signature, or null.</summary>
    public static string? ForbiddenIn(MethodSignature<SigType> sig)
    {
        if (sig.Header.CallingConvention == SignatureCallingConvention.VarArgs) return "variable argument list";
        if (sig.Header.CallingConvention is not (SignatureCallingConvention.Default or SignatureCallingConvention.VarArgs))
            return "unmanaged calling convention";
        return sig.ParameterTypes.Prepend(sig.ReturnType).Select(t => t.Forbidden).FirstOrDefault(f => f is not null);
    }

    /// <summary>Rule id for a forbidden shape.</summary>
    public static string RuleFor(string forbidden) => forbidden switch
    {
        "typed reference" => "typedref",
        "variable argument list" => "arglist",
        "unmanaged calling convention" => "pinvoke",
        _ => "pointer",
    };

    /// <summary>The metadata reader this provider decodes against.</summary>
    public MetadataReader Reader => md;
}

/// <summary>Names of metadata types: namespace, outermost type name and a display name.</summary>
internal static class TypeNames
{
    /// <summary>Namespace and outermost name of a TypeRef, its full display name and its assembly (null if in this module).</summary>
    public static (string Namespace, string Outer, string FullName, string? Assembly) Of(MetadataReader md, TypeReferenceHandle h)
    {
        var tr = md.GetTypeReference(h);
        string name = md.GetString(tr.Name);
        var scope = tr.ResolutionScope;
        if (scope.Kind == HandleKind.TypeReference)
        {
            var outer = Of(md, (TypeReferenceHandle)scope);
            return (outer.Namespace, outer.Outer, outer.FullName + "+" + name, outer.Assembly);
        }
        string ns = md.GetString(tr.Namespace);
        string? asm = scope.Kind == HandleKind.AssemblyReference
            ? md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)
            : null;
        return (ns, name, ns.Length == 0 ? name : ns + "." + name, asm);
    }

    /// <summary>The full display name of a type defined in this module.</summary>
    public static string Of(MetadataReader md, TypeDefinitionHandle h)
    {
        var td = md.GetTypeDefinition(h);
        string name = md.GetString(td.Name);
        if (td.GetDeclaringType() is { IsNil: false } outer) return Of(md, outer) + "+" + name;
        string ns = md.GetString(td.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
