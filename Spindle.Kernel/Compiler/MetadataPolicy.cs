using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// The metadata policy, run on the produced IL (and again before loading): every assembly, type and
/// member reference, method instantiation, type specification and signature, each method's
/// implementation flags and IL opcodes. It is the enforcement point the source policy explains.
/// </summary>
internal sealed class MetadataPolicy
{
    private const string PrivateImplementationDetails = "<PrivateImplementationDetails>";
    private static readonly HashSet<string> MeterEntryPoints = ["Tick", "Enter", "CatchEntry", "Alloc", "StackAlloc", "Charge", "Size", "SizeFormat", "SizeElements"];

    private readonly MetadataReader _md;
    private readonly ExtensionPolicy _policy;
    private readonly bool _allowMeter;
    private readonly string _file;
    private readonly SignatureTypes _sigs;
    private readonly List<Violation> _found = [];
    private readonly HashSet<string> _seen = [];
    // Where each referenced token is used from method bodies: first place, and whether any use is outside helpers.
    private readonly Dictionary<EntityHandle, (string Where, bool FromUserCode)> _bodyUses = [];
    private readonly HashSet<MemberReferenceHandle> _ungatedPointerCtors = [];
    // Member references loaded with ldftn/ldvirtftn: the target of a delegate the extension creates.
    private readonly HashSet<MemberReferenceHandle> _delegateTargets = [];

    private MetadataPolicy(MetadataReader md, ExtensionPolicy policy, bool allowMeter, string file)
    {
        _md = md;
        _policy = policy;
        _allowMeter = allowMeter;
        _file = file;
        _sigs = new SignatureTypes(md);
    }

    /// <summary>
    /// Checks an assembly image. <paramref name="allowMeter"/> admits the calls the instrumenter inserts.
    /// Never throws: a malformed image is one violation.
    /// </summary>
    public static List<Violation> Check(ReadOnlySpan<byte> image, ExtensionPolicy policy, bool allowMeter, string file)
    {
        try
        {
            using var pe = new PEReader(System.Collections.Immutable.ImmutableArray.Create(image));
            if (!pe.HasMetadata) return [new Violation(file, 0, 0, "format", "not a .NET assembly (no metadata)")];
            var p = new MetadataPolicy(pe.GetMetadataReader(), policy, allowMeter, file);
            p.Run(pe);
            return p._found;
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            return [new Violation(file, 0, 0, "format", $"malformed assembly image: {e.Message}")];
        }
    }

    private void Run(PEReader pe)
    {
        CheckAssemblyReferences();
        if (_md.GetTableRowCount(TableIndex.ModuleRef) > 0 || _md.GetTableRowCount(TableIndex.ImplMap) > 0)
            Report("pinvoke", "the module imports native entry points (ModuleRef/ImplMap)", null);
        foreach (var t in _md.TypeDefinitions) CheckTypeDefinition(t, pe);
        foreach (var h in _md.TypeSpecifications())
            Forbidden(_md.GetTypeSpecification(h).DecodeSignature(_sigs, null).Forbidden, "type specification", h);
        foreach (var h in _md.MethodSpecifications())
            foreach (var a in _md.GetMethodSpecification(h).DecodeSignature(_sigs, null))
                Forbidden(a.Forbidden, "generic method instantiation", h);
        foreach (var h in _md.MemberReferences) CheckMemberReference(h);
        CheckTypeReferences();
    }

    private void CheckAssemblyReferences()
    {
        foreach (var h in _md.AssemblyReferences)
        {
            string name = _md.GetString(_md.GetAssemblyReference(h).Name);
            if (name != ExtensionPolicy.SdkAssembly && !ExtensionPolicy.BaseLibraryAssemblies.Contains(name))
                Report("assembly-ref", $"references assembly {name}, which extensions may not use", null);
        }
    }

    private void CheckTypeDefinition(TypeDefinitionHandle th, PEReader pe)
    {
        var td = _md.GetTypeDefinition(th);
        string typeName = TypeNames.Of(_md, th);
        bool helper = IsHelperType(td);
        if ((td.Attributes & TypeAttributes.LayoutMask) == TypeAttributes.ExplicitLayout && td.GetFields().Count > 0)
            Report("explicit-layout", $"{typeName} has explicit layout: overlapping fields break type safety", null);
        foreach (var fh in td.GetFields())
        {
            var f = _md.GetFieldDefinition(fh);
            Forbidden(f.DecodeSignature(_sigs, null).Forbidden, $"field {typeName}.{_md.GetString(f.Name)}", null);
        }
        foreach (var mh in td.GetMethods()) CheckMethod(mh, typeName, helper, IsDelegate(td), pe);
    }

    private void CheckMethod(MethodDefinitionHandle mh, string typeName, bool helper, bool isDelegate, PEReader pe)
    {
        var m = _md.GetMethodDefinition(mh);
        string where = $"{typeName}::{_md.GetString(m.Name)}";
        var sig = m.DecodeSignature(_sigs, null);
        if (SignatureTypes.ForbiddenIn(sig) is { } bad) Report(SignatureTypes.RuleFor(bad), $"{where} has a {bad} in its signature", null);
        if ((m.Attributes & MethodAttributes.PinvokeImpl) != 0)
            Report("pinvoke", $"{where} is a P/Invoke method", null);
        var impl = m.ImplAttributes;
        if ((impl & MethodImplAttributes.InternalCall) != 0 || (impl & MethodImplAttributes.CodeTypeMask) == MethodImplAttributes.Native
            || (impl & MethodImplAttributes.ManagedMask) == MethodImplAttributes.Unmanaged)
            Report("pinvoke", $"{where} is implemented by native or runtime-internal code", null);
        if (_md.GetString(m.Name) == "Finalize" && (m.Attributes & MethodAttributes.Virtual) != 0 && sig.ParameterTypes.Length == 0)
            Report("finalizer", $"{where} is a finalizer: it would run on the host finalizer thread", null);
        bool runtimeImpl = (impl & MethodImplAttributes.CodeTypeMask) == MethodImplAttributes.Runtime;
        if (runtimeImpl && !isDelegate) Report("pinvoke", $"{where} is implemented by the runtime", null);
        if (m.RelativeVirtualAddress == 0)
        {
            if ((m.Attributes & MethodAttributes.Abstract) == 0 && !runtimeImpl)
                Report("pinvoke", $"{where} has no body (extern)", null);
            return;
        }
        var body = pe.GetMethodBody(m.RelativeVirtualAddress);
        if ((impl & MethodImplAttributes.Synchronized) != 0 && !IsEventFieldAccessor(_md.GetString(m.Name), body.GetILBytes() ?? []))
            Report("threading", $"{where} is [MethodImpl(MethodImplOptions.Synchronized)]: it takes a host monitor, as lock would", null);
        if (!body.LocalSignature.IsNil)
            foreach (var local in _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_sigs, null))
                Forbidden(local.Forbidden, $"a local of {where}", null);
        CheckIl(body.GetILBytes() ?? [], where, helper);
    }

    private void CheckIl(byte[] il, string where, bool helper)
    {
        var code = IlReader.Decode(il, out string? error);
        if (error is not null) Report("format", $"{where}: {error}", null);
        HashSet<int>? targets = null;
        for (int i = 0; i < code.Count; i++)
        {
            var ins = code[i];
            string at = $"{where} at IL_{ins.Offset:x4}";
            if (ForbiddenOpcode(ins.OpCode) is { } why) Report("opcode", $"{ins.OpCode.Name}: {why} ({at})", null);
            if (ins.OpCode == OpCodes.Localloc && !IsStackAllocPattern(code, i, targets ??= IlReader.BranchTargets(il)))
                Report("stackalloc", $"localloc: allocates on the host stack outside the checked Span<byte> pattern ({at})", null);
            if (ins.Token == 0 || ins.OpCode == OpCodes.Ldstr) continue;
            var handle = MetadataTokens.EntityHandle(ins.Token);
            if (handle.Kind == HandleKind.StandaloneSignature) { Report("pointer", $"calli signature ({at})", null); continue; }
            if (handle.Kind == HandleKind.TypeReference) _sigs.TypeRefsSeen.Add((TypeReferenceHandle)handle);
            if (handle.Kind == HandleKind.MemberReference && ins.OpCode == OpCodes.Newobj && IsPointerSpanCtor((MemberReferenceHandle)handle)
                && !IsRvaSpanPattern(code, i)
                && !(i >= 2 && code[i - 2].OpCode == OpCodes.Localloc && IsStackAllocPattern(code, i - 2, targets ??= IlReader.BranchTargets(il))))
                _ungatedPointerCtors.Add((MemberReferenceHandle)handle);
            RecordUse(handle, at, helper);
            var method = handle.Kind == HandleKind.MethodSpecification ? _md.GetMethodSpecification((MethodSpecificationHandle)handle).Method : handle;
            if (handle.Kind == HandleKind.MethodSpecification) RecordUse(method, at, helper);
            if ((ins.OpCode == OpCodes.Ldftn || ins.OpCode == OpCodes.Ldvirtftn) && method.Kind == HandleKind.MemberReference)
                _delegateTargets.Add((MemberReferenceHandle)method);
        }
    }

    private void RecordUse(EntityHandle handle, string at, bool helper) =>
        _bodyUses[handle] = _bodyUses.TryGetValue(handle, out var prev) ? (prev.Where, prev.FromUserCode || !helper) : (at, !helper);

    // The accessors C# makes for a field-like event when Interlocked is out of reach (it is, for extensions): they
    // are synchronized, and do nothing but Delegate.Combine or Delegate.Remove on the field, without a branch (the
    // instrumenter's meter calls aside). The monitor is held for that one bounded call; the source policy refuses
    // the attribute written by hand.
    private bool IsEventFieldAccessor(string name, byte[] il)
    {
        if (!name.StartsWith("add_", StringComparison.Ordinal) && !name.StartsWith("remove_", StringComparison.Ordinal)) return false;
        var code = IlReader.Decode(il, out string? error);
        if (error is not null) return false;
        foreach (var ins in code)
        {
            if (ins.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch) return false;
            if (ins.OpCode.FlowControl != FlowControl.Call || IsMeterCall(ins, "Enter")) continue;
            if (ins.OpCode != OpCodes.Call || MetadataTokens.EntityHandle(ins.Token) is not { Kind: HandleKind.MemberReference } h) return false;
            var mr = _md.GetMemberReference((MemberReferenceHandle)h);
            if (_md.GetString(mr.Name) is not ("Combine" or "Remove") || ParentType(mr.Parent) is not { FullName: "System.Delegate", Assembly: not null })
                return false;
        }
        return true;
    }

    private static string? ForbiddenOpcode(OpCode op)
    {
        if (op == OpCodes.Calli) return "calls through a function pointer";
        if (op == OpCodes.Cpblk || op == OpCodes.Initblk) return "copies or fills raw memory";
        if (op == OpCodes.Jmp) return "jumps into another method";
        if (op == OpCodes.Arglist) return "variable argument lists escape type safety";
        if (op == OpCodes.Mkrefany || op == OpCodes.Refanyval || op == OpCodes.Refanytype) return "typed references escape type safety";
        return null;
    }

    // ReadOnlySpan<T>(void*, int): the compiler's way to wrap constant data ("abc"u8, new byte[] {...});
    // Span<T>(void*, int): its way to wrap a stackalloc. Admitted only in those two patterns.
    private bool IsPointerSpanCtor(MemberReferenceHandle h)
    {
        var mr = _md.GetMemberReference(h);
        return _md.GetString(mr.Name) == ".ctor" && ParentType(mr.Parent) is { FullName: "System.ReadOnlySpan`1" or "System.Span`1" }
               && mr.DecodeMethodSignature(_sigs, null) is { ParameterTypes: [{ Name: "System.Void*" }, { Name: "System.Int32" }] };
    }

    // The one stackalloc shape admitted, what C# emits for `Span<byte> b = stackalloc byte[n]`:
    //   X; conv.u; [call Meter::StackAlloc]; localloc; X; newobj Span<uint8>::.ctor(void*, int32)
    // where X is the same side-effect-free push of n (constant, local or argument), nothing branches
    // into the pattern, and (once instrumented) the meter checks the size first. `i` is the localloc.
    private bool IsStackAllocPattern(List<IlInstruction> code, int i, HashSet<int> targets)
    {
        int k = i - 1;
        bool metered = k >= 0 && IsMeterCall(code[k], "StackAlloc");
        if (metered) k--;
        else if (_allowMeter) return false;
        if (k < 1 || code[k].OpCode != OpCodes.Conv_U || i + 2 >= code.Count) return false;
        var size = code[k - 1];
        var again = code[i + 1];
        if (!IsPureIntPush(size.OpCode) || again.OpCode != size.OpCode || again.Immediate != size.Immediate) return false;
        var ctor = code[i + 2];
        if (ctor.OpCode != OpCodes.Newobj || MetadataTokens.EntityHandle(ctor.Token) is not { Kind: HandleKind.MemberReference } h
            || !IsPointerSpanCtor((MemberReferenceHandle)h) || !IsSpanOfBytes(_md.GetMemberReference((MemberReferenceHandle)h).Parent))
            return false;
        for (int j = k; j <= i + 2; j++)
            if (targets.Contains(code[j].Offset)) return false;
        return true;
    }

    // True for Span<byte> (the generic instantiation over uint8).
    private bool IsSpanOfBytes(EntityHandle parent)
    {
        if (parent.Kind != HandleKind.TypeSpecification) return false;
        var blob = _md.GetBlobReader(_md.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return false;
        blob.ReadByte();
        if (ParentType(blob.ReadTypeHandle()) is not { FullName: "System.Span`1" }) return false;
        return blob.ReadCompressedInteger() == 1 && blob.ReadSignatureTypeCode() == SignatureTypeCode.Byte;
    }

    // A call to Spindle.Sdk.Runtime.Meter::<name>.
    private bool IsMeterCall(IlInstruction ins, string name)
    {
        if (ins.OpCode != OpCodes.Call || MetadataTokens.EntityHandle(ins.Token) is not { Kind: HandleKind.MemberReference } h) return false;
        var mr = _md.GetMemberReference((MemberReferenceHandle)h);
        return _md.GetString(mr.Name) == name && ParentType(mr.Parent) is { Namespace: "Spindle.Sdk.Runtime", Outer: "Meter", Assembly: not null };
    }

    private static bool IsPureIntPush(OpCode op) => IsLdcI4(op) || op == OpCodes.Ldloc || op == OpCodes.Ldloc_S
        || op == OpCodes.Ldloc_0 || op == OpCodes.Ldloc_1 || op == OpCodes.Ldloc_2 || op == OpCodes.Ldloc_3
        || op == OpCodes.Ldarg || op == OpCodes.Ldarg_S || op == OpCodes.Ldarg_0 || op == OpCodes.Ldarg_1
        || op == OpCodes.Ldarg_2 || op == OpCodes.Ldarg_3;

    // The constant-data pattern: ldsflda <PrivateImplementationDetails>::field; ldc.i4 n; newobj ReadOnlySpan(void*, int).
    private bool IsRvaSpanPattern(List<IlInstruction> code, int i)
    {
        if (i < 2 || !IsLdcI4(code[i - 1].OpCode) || code[i - 2].OpCode != OpCodes.Ldsflda) return false;
        var fh = MetadataTokens.EntityHandle(code[i - 2].Token);
        if (fh.Kind != HandleKind.FieldDefinition) return false;
        var f = _md.GetFieldDefinition((FieldDefinitionHandle)fh);
        return (f.Attributes & FieldAttributes.HasFieldRVA) != 0 && IsHelperType(_md.GetTypeDefinition(f.GetDeclaringType()));
    }

    private static bool IsLdcI4(OpCode op) => op == OpCodes.Ldc_I4 || op == OpCodes.Ldc_I4_S || op == OpCodes.Ldc_I4_0
        || op == OpCodes.Ldc_I4_1 || op == OpCodes.Ldc_I4_2 || op == OpCodes.Ldc_I4_3 || op == OpCodes.Ldc_I4_4
        || op == OpCodes.Ldc_I4_5 || op == OpCodes.Ldc_I4_6 || op == OpCodes.Ldc_I4_7 || op == OpCodes.Ldc_I4_8 || op == OpCodes.Ldc_I4_M1;

    private void CheckMemberReference(MemberReferenceHandle h)
    {
        var mr = _md.GetMemberReference(h);
        string member = _md.GetString(mr.Name);
        IReadOnlyList<string>? paramTypes = null;
        string? forbidden;
        if (mr.GetKind() == MemberReferenceKind.Method)
        {
            var sig = mr.DecodeMethodSignature(_sigs, null);
            paramTypes = sig.ParameterTypes.Select(p => p.Name).ToList();
            forbidden = SignatureTypes.ForbiddenIn(sig);
            if (forbidden == "pointer type" && IsPointerSpanCtor(h) && !_ungatedPointerCtors.Contains(h)) forbidden = null;
        }
        else forbidden = mr.DecodeFieldSignature(_sigs, null).Forbidden;

        var parent = ParentType(mr.Parent);
        string display = parent is null ? member : $"{parent.Value.FullName}::{member}";
        if (forbidden is not null) Forbidden(forbidden, display, h);
        if (parent is not { Assembly: not null } p) return;      // a member of this module's own types
        if (_allowMeter && p.Namespace == "Spindle.Sdk.Runtime" && p.Outer == "Meter" && MeterEntryPoints.Contains(member)) return;
        var site = !_bodyUses.TryGetValue(h, out var use) || use.FromUserCode ? RefSite.Emitted : RefSite.Synthesized;
        var r = new ApiRef(p.Namespace, p.Outer, member, paramTypes, NestedPart(p.Namespace, p.Outer, p.FullName));
        if (ApiRules.Check(r, site, _policy.SdkGrants) is { } hit)
            Report(hit.Rule, $"{display}: {hit.Why}", h);
        else if (_delegateTargets.Contains(h) && ApiCosts.Of(r.DeclaringTypeName, member) is not (null or Cost.Constant))
            Report("cost", $"{display}: a delegate to a priced base-library member would run it without its charge: call it directly", h);
    }

    // The names below the outermost type of a nested type's full name (KeyCollection+Enumerator), or null.
    private static string? NestedPart(string ns, string outer, string fullName)
    {
        int outerLength = ns.Length == 0 ? outer.Length : ns.Length + 1 + outer.Length;
        return fullName.Length > outerLength ? fullName[(outerLength + 1)..] : null;
    }

    // TypeRefs are checked as types when used as types (signatures, tokens, base types); a TypeRef that
    // only parents member references is judged through those members.
    private void CheckTypeReferences()
    {
        var memberParents = _md.MemberReferences.Select(h => _md.GetMemberReference(h).Parent)
            .Where(p => p.Kind == HandleKind.TypeReference).Select(p => (TypeReferenceHandle)p).ToHashSet();
        foreach (var t in _md.TypeDefinitions)
        {
            var td = _md.GetTypeDefinition(t);
            if (td.BaseType.Kind == HandleKind.TypeReference) _sigs.TypeRefsSeen.Add((TypeReferenceHandle)td.BaseType);
            foreach (var ii in td.GetInterfaceImplementations())
                if (_md.GetInterfaceImplementation(ii).Interface is { Kind: HandleKind.TypeReference } it) _sigs.TypeRefsSeen.Add((TypeReferenceHandle)it);
            foreach (var gp in td.GetGenericParameters()) AddConstraints(gp);
        }
        foreach (var m in _md.MethodDefinitions)
            foreach (var gp in _md.GetMethodDefinition(m).GetGenericParameters()) AddConstraints(gp);
        foreach (var h in _md.TypeReferences)
        {
            if (memberParents.Contains(h) && !_sigs.TypeRefsSeen.Contains(h)) continue;
            var t = TypeNames.Of(_md, h);
            if (t.Assembly is null) continue;
            if (_allowMeter && t.Namespace == "Spindle.Sdk.Runtime" && t.Outer is "Meter" or "MeterExhaustedException") continue;
            if (ApiRules.Check(new ApiRef(t.Namespace, t.Outer, null, Nested: NestedPart(t.Namespace, t.Outer, t.FullName)), RefSite.Emitted, _policy.SdkGrants) is { } hit)
                Report(hit.Rule, $"{t.FullName}: {hit.Why}", h);
        }
    }

    private void AddConstraints(GenericParameterHandle gp)
    {
        foreach (var ch in _md.GetGenericParameter(gp).GetConstraints())
        {
            var c = _md.GetGenericParameterConstraint(ch).Type;
            if (c.Kind == HandleKind.TypeReference) _sigs.TypeRefsSeen.Add((TypeReferenceHandle)c);
            else if (c.Kind == HandleKind.TypeSpecification) _md.GetTypeSpecification((TypeSpecificationHandle)c).DecodeSignature(_sigs, null);
        }
    }

    // The type a member reference belongs to; for a generic instantiation, its generic definition.
    private (string Namespace, string Outer, string FullName, string? Assembly)? ParentType(EntityHandle parent)
    {
        switch (parent.Kind)
        {
            case HandleKind.TypeReference: return TypeNames.Of(_md, (TypeReferenceHandle)parent);
            case HandleKind.TypeDefinition: return ("", "", TypeNames.Of(_md, (TypeDefinitionHandle)parent), null);
            case HandleKind.TypeSpecification:
                var spec = _md.GetTypeSpecification((TypeSpecificationHandle)parent);
                var blob = _md.GetBlobReader(spec.Signature);
                if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
                {
                    blob.ReadByte();                                       // CLASS or VALUETYPE
                    return ParentType(blob.ReadTypeHandle());
                }
                return ("", "", spec.DecodeSignature(_sigs, null).Name, null);
            default: return null;
        }
    }

    private bool IsHelperType(TypeDefinition td)
    {
        for (var t = td; ; t = _md.GetTypeDefinition(t.GetDeclaringType()))
        {
            if (_md.GetString(t.Name) == PrivateImplementationDetails && t.Namespace.IsNil) return true;
            if (t.GetDeclaringType().IsNil) return false;
        }
    }

    private bool IsDelegate(TypeDefinition td) => td.BaseType.Kind == HandleKind.TypeReference
        && TypeNames.Of(_md, (TypeReferenceHandle)td.BaseType).FullName == "System.MulticastDelegate";

    private void Forbidden(string? forbidden, string what, EntityHandle? h)
    {
        if (forbidden is not null) Report(SignatureTypes.RuleFor(forbidden), $"{what}: {forbidden}", h);
    }

    private void Report(string rule, string what, EntityHandle? h)
    {
        if (h is { } handle && _bodyUses.TryGetValue(handle, out var use)) what += $" (used in {use.Where})";
        if (_seen.Add(rule + "\0" + what)) _found.Add(new Violation(_file, 0, 0, rule, what));
    }
}

internal static class MetadataReaderExtensions
{
    /// <summary>All TypeSpec handles of the module.</summary>
    public static IEnumerable<TypeSpecificationHandle> TypeSpecifications(this MetadataReader md)
    {
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
            yield return MetadataTokens.TypeSpecificationHandle(row);
    }

    /// <summary>All MethodSpec handles of the module.</summary>
    public static IEnumerable<MethodSpecificationHandle> MethodSpecifications(this MetadataReader md)
    {
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
            yield return MetadataTokens.MethodSpecificationHandle(row);
    }
}
