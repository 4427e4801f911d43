using Mono.Cecil;
using Mono.Cecil.Cil;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// The instrumenter's charges for base-library work (<see cref="ApiCosts"/>, <see cref="Meter.Charge"/>). Before
/// each call to a priced base-library member the arguments are moved from the stack into fresh locals, their
/// sizes (receiver, sized arguments, size-like integers) are measured and charged, and the arguments are put
/// back for the call, which then runs unchanged. (A priced member may not be made into a delegate, whose calls
/// could not be charged: the metadata policy refuses that before the instrumenter runs.)
/// </summary>
internal sealed class CostProbes
{
    // Integer parameters whose value is a size the member works through or allocates.
    private static readonly HashSet<string> CountNames =
        ["capacity", "count", "length", "totalWidth", "repeatCount", "newSize", "minimumLength", "minimumCapacity", "alignment"];

    private static readonly HashSet<string> SpanTypes = ["System.Span`1", "System.ReadOnlySpan`1", "System.Memory`1", "System.ReadOnlyMemory`1"];

    private readonly ModuleDefinition _module;
    private readonly MethodReference _charge, _sizeString, _sizeFormat, _sizeArray, _sizeElements, _sizeObject;
    private readonly Dictionary<string, MethodReference> _sizeSpan = [];
    private readonly Dictionary<string, MethodDefinition?> _resolved = [];

    public CostProbes(ModuleDefinition module, TypeReference meter)
    {
        _module = module;
        var t = module.TypeSystem;
        _charge = Static(meter, nameof(Meter.Charge), t.Void, t.Int64, t.Int64, t.Int64, t.Int32);
        _sizeString = Static(meter, nameof(Meter.Size), t.Int64, t.String);
        _sizeFormat = Static(meter, nameof(Meter.SizeFormat), t.Int64, t.String);
        var array = new TypeReference("System", "Array", module, t.CoreLibrary);
        _sizeArray = Static(meter, nameof(Meter.Size), t.Int64, array);
        _sizeElements = Static(meter, nameof(Meter.SizeElements), t.Int64, array);
        _sizeObject = Static(meter, nameof(Meter.Size), t.Int64, t.Object);
        foreach (var span in SpanTypes)
        {
            var generic = new MethodReference(nameof(Meter.Size), t.Int64, meter) { HasThis = false };
            var p = new GenericParameter("T", generic);
            generic.GenericParameters.Add(p);
            var open = new GenericInstanceType(SpanType(span));
            open.GenericArguments.Add(p);
            generic.Parameters.Add(new ParameterDefinition(open));
            _sizeSpan[span] = generic;
        }
    }

    /// <summary>The cost of calling <paramref name="callee"/>, if it is a base-library member the table prices.</summary>
    public static Cost CostOf(MethodReference callee)
    {
        var declaring = callee.DeclaringType is GenericInstanceType g ? g.ElementType : callee.DeclaringType;
        if (declaring.Scope is ModuleDefinition) return Cost.Constant;      // the extension's own code: metered by its IL
        return ApiCosts.Of(TypeName(declaring), callee.Name) ?? Cost.Constant;
    }

    /// <summary>Inserts the charge for <paramref name="call"/> (a call, callvirt or newobj of a priced member) into <paramref name="method"/>.</summary>
    public void Insert(MethodDefinition method, Instruction call, Cost cost, Action<Instruction, Instruction[]> prefix)
    {
        var callee = (MethodReference)call.Operand;
        var body = method.Body;
        Instruction at = call.Previous is { OpCode.Code: Code.Constrained } constrained ? constrained : call;
        bool hasReceiver = callee.HasThis && call.OpCode.Code != Code.Newobj;
        var names = ParameterNames(callee, cost | (callee.Parameters.Any(p => p.ParameterType.MetadataType == MetadataType.String) ? Cost.Count : 0));

        // Spill: the stack holds [receiver] arg0 .. argN-1; pop them last first into locals.
        // An argument whose declared type is a bare type parameter (Array.Fill's value) is an element, not an input whose size is work.
        var locals = new List<(VariableDefinition Local, string? Name, bool Receiver, bool Element)>();
        if (hasReceiver) locals.Add((Local(body, ReceiverType(callee, at)), null, true, false));
        for (int i = 0; i < callee.Parameters.Count; i++)
            locals.Add((Local(body, Substitute(callee.Parameters[i].ParameterType, callee)), names?[i], false, callee.Parameters[i].ParameterType is GenericParameter));
        var code = new List<Instruction>();
        for (int i = locals.Count - 1; i >= 0; i--) code.Add(Instruction.Create(OpCodes.Stloc, locals[i].Local));

        bool receiverSized = (cost & (Cost.This | Cost.Product)) != 0, argsSized = (cost & (Cost.Args | Cost.Product)) != 0;
        bool elements = (cost & Cost.Elements) != 0;
        Sum(code, hasReceiver && receiverSized && at == call ? [(locals[0].Local, false)] : [], elements);
        Sum(code, argsSized ? locals.Where(l => !l.Receiver && !l.Element).Select(l => (l.Local, l.Name == "format")) : [], elements);
        SumCounts(code, (cost & Cost.Count) != 0 ? locals.Where(l => l.Name is not null && CountNames.Contains(l.Name)).Select(l => l.Local) : []);
        code.Add(Instruction.Create(OpCodes.Ldc_I4, (int)(cost & (Cost.Allocates | Cost.Product))));
        code.Add(Instruction.Create(OpCodes.Call, _charge));
        foreach (var l in locals) code.Add(Instruction.Create(OpCodes.Ldloc, l.Local));
        prefix(at, [.. code]);
    }

    // Pushes the sum of the sizes of `values` as an int64 (0 if none); a string named "format" is sized as a format,
    // and with `elements` an array by its elements too.
    private void Sum(List<Instruction> code, IEnumerable<(VariableDefinition Local, bool Format)> values, bool elements)
    {
        code.Add(Instruction.Create(OpCodes.Ldc_I8, 0L));
        foreach (var (v, format) in values)
            if (format && v.VariableType.MetadataType == MetadataType.String)
            {
                code.Add(Instruction.Create(OpCodes.Ldloc, v));
                code.Add(Instruction.Create(OpCodes.Call, _sizeFormat));
                code.Add(Instruction.Create(OpCodes.Add));
            }
            else if (PushSize(code, v, elements)) code.Add(Instruction.Create(OpCodes.Add));
    }

    // Pushes the sum of the size-like integer arguments, each as an int64.
    private static void SumCounts(List<Instruction> code, IEnumerable<VariableDefinition> counts)
    {
        code.Add(Instruction.Create(OpCodes.Ldc_I8, 0L));
        foreach (var v in counts)
        {
            var type = v.VariableType.MetadataType;
            if (type is not (MetadataType.Int32 or MetadataType.Int64 or MetadataType.UInt32 or MetadataType.IntPtr)) continue;
            code.Add(Instruction.Create(OpCodes.Ldloc, v));
            code.Add(Instruction.Create(type == MetadataType.UInt32 ? OpCodes.Conv_U8 : OpCodes.Conv_I8));
            code.Add(Instruction.Create(OpCodes.Add));
        }
    }

    // Pushes the size of local v as an int64 and returns true, or pushes nothing and returns false if its type has no size.
    private bool PushSize(List<Instruction> code, VariableDefinition v, bool elements)
    {
        var type = v.VariableType;
        bool byRef = type is ByReferenceType;
        if (type is ByReferenceType br) type = br.ElementType;
        MethodReference? size = type is ArrayType && elements ? _sizeElements : SizeOf(type);
        if (size is null) return false;
        code.Add(Instruction.Create(OpCodes.Ldloc, v));
        if (byRef) code.Add(type.IsValueType ? Instruction.Create(OpCodes.Ldobj, type) : Instruction.Create(OpCodes.Ldind_Ref));
        code.Add(Instruction.Create(OpCodes.Call, size));
        return true;
    }

    // The Meter.Size overload for a value of static type `type`, or null if it has no size.
    private MethodReference? SizeOf(TypeReference type)
    {
        if (type.MetadataType == MetadataType.String) return _sizeString;
        if (type is ArrayType) return _sizeArray;
        if (type is GenericInstanceType g && SpanTypes.Contains(g.ElementType.FullName))
        {
            var m = new GenericInstanceMethod(_sizeSpan[g.ElementType.FullName]);
            m.GenericArguments.Add(g.GenericArguments[0]);
            return m;
        }
        if (type.IsValueType || type is GenericParameter or PointerType or FunctionPointerType) return null;
        string ns = (type is GenericInstanceType gi ? gi.ElementType : type).Namespace;
        return type.MetadataType == MetadataType.Object || type.FullName is "System.Array" or "System.Text.StringBuilder"
            || ns.StartsWith("System.Collections", StringComparison.Ordinal) ? _sizeObject : null;
    }

    // The receiver as the call sees it: a managed pointer for a value type or a constrained call.
    private static TypeReference ReceiverType(MethodReference callee, Instruction at) =>
        at.OpCode.Code == Code.Constrained ? new ByReferenceType((TypeReference)at.Operand)
        : callee.DeclaringType.IsValueType ? new ByReferenceType(callee.DeclaringType) : callee.DeclaringType;

    // Parameter names (for Count, and to find format strings), from the member's definition in the base library.
    private string?[]? ParameterNames(MethodReference callee, Cost cost)
    {
        if ((cost & Cost.Count) == 0) return null;
        string key = callee.GetElementMethod().FullName;
        if (!_resolved.TryGetValue(key, out var def))
        {
            try { def = callee.Resolve(); } catch (AssemblyResolutionException) { def = null; }
            _resolved[key] = def;
        }
        if (def is null) throw new InstrumentationException($"{callee.FullName}: cannot resolve the priced member to read its parameters");
        return def.Parameters.Select(p => (string?)p.Name).ToArray();
    }

    private static VariableDefinition Local(MethodBody body, TypeReference type)
    {
        var local = new VariableDefinition(type);
        body.Variables.Add(local);
        return local;
    }

    // A parameter type with the callee's generic parameters replaced by its type and method arguments; custom modifiers dropped.
    private static TypeReference Substitute(TypeReference type, MethodReference callee)
    {
        switch (type)
        {
            case GenericParameter { Type: GenericParameterType.Type } p when callee.DeclaringType is GenericInstanceType git:
                return git.GenericArguments[p.Position];
            case GenericParameter { Type: GenericParameterType.Method } p when callee is GenericInstanceMethod gim:
                return gim.GenericArguments[p.Position];
            case IModifierType modified:
                return Substitute(modified.ElementType, callee);
            case ByReferenceType r:
                return new ByReferenceType(Substitute(r.ElementType, callee));
            case ArrayType a:
                return new ArrayType(Substitute(a.ElementType, callee), a.Rank);
            case GenericInstanceType g:
                var copy = new GenericInstanceType(g.ElementType);
                foreach (var arg in g.GenericArguments) copy.GenericArguments.Add(Substitute(arg, callee));
                return copy;
            default:
                return type;
        }
    }

    /// <summary>The table's name of a type: namespace-qualified metadata name of its generic definition, nested types with '+'.</summary>
    public static string TypeName(TypeReference type)
    {
        if (type is GenericInstanceType g) type = g.ElementType;
        return type.FullName.Replace('/', '+');
    }

    // System.Span`1 and its kin as references through the module's own core library (no host CoreLib reference is added).
    private TypeReference SpanType(string fullName)
    {
        var type = new TypeReference("System", fullName["System.".Length..], _module, _module.TypeSystem.CoreLibrary, valueType: true);
        type.GenericParameters.Add(new GenericParameter("T", type));
        return type;
    }

    private static MethodReference Static(TypeReference type, string name, TypeReference returns, params TypeReference[] parameters)
    {
        var method = new MethodReference(name, returns, type) { HasThis = false };
        foreach (var p in parameters) method.Parameters.Add(new ParameterDefinition(p));
        return method;
    }
}
