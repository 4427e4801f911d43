using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// Rewrites a compiled extension so that it is metered (see <see cref="Meter"/>): every method
/// body, including constructors, static constructors and compiler-generated methods (lambdas,
/// iterators, async state machines), gets
/// <list type="bullet">
/// <item><c>Meter.Enter()</c> at entry (fuel and stack depth), except in leaves: methods with no call and no
/// backward branch (getters, small arithmetic), whose work is bounded by their length and paid by their metered caller;
/// a leaf the base library can call back (virtual, or made into a delegate) gets <c>Meter.Tick()</c> at entry instead;</item>
/// <item><c>Meter.Tick()</c> before every backward branch, <c>leave</c> and <c>switch</c> included;</item>
/// <item><c>Meter.CatchEntry()</c> at the start of every catch handler and filter, so an aborted call cannot be caught;</item>
/// <item><c>Meter.Alloc(count, elementSize)</c> before every <c>newarr</c>, so a huge array is refused before it exists;</item>
/// <item><c>Meter.StackAlloc(bytes)</c> before every <c>localloc</c>, so a stackalloc cannot overflow the host stack.</item>
/// </list>
/// The output is unsigned: the compiler signs after instrumenting.
/// </summary>
public static class Instrumenter
{
    /// <summary>Most IL bytes one method may have: the JIT compiles a method at its first call, in time that grows with its size and unmetered.</summary>
    public const int MaxMethodIl = 64 << 10;

    /// <summary>Most IL bytes an extension may have in all: bounds the JIT work its first calls can cause.</summary>
    public const int MaxModuleIl = 8 << 20;

    /// <summary>Returns the instrumented assembly image. Throws <see cref="InstrumentationException"/> for an image it cannot rewrite.</summary>
    public static byte[] Instrument(byte[] assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var module = Read(assembly);
        if ((module.Attributes & ModuleAttributes.ILOnly) == 0)
            throw new InstrumentationException($"{module.Name}: contains native code (not IL-only)");
        if (module.Assembly is { } asm && asm.Modules.Count != 1)
            throw new InstrumentationException($"{module.Name}: multi-module assemblies are not supported");

        CheckSize(module);
        CheckGenericStatics(module);
        if (GenericExpansion.Find(module) is { } expanding) throw new InstrumentationException(expanding, rule: "generic-expansion");
        if (StructuralRecursion.Find(module) is { } recursive) throw new InstrumentationException(recursive, rule: "recursion");
        var probes = new Probes(module);
        var calledBack = AddressTaken(module);
        foreach (var type in module.GetTypes())
            foreach (var method in type.Methods)
                Rewrite(method, probes, calledBack);

        var output = new MemoryStream();
        module.Write(output);
        return output.ToArray();
    }

    private static ModuleDefinition Read(byte[] image)
    {
        try
        {
            var resolver = new DefaultAssemblyResolver();
            resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            return ModuleDefinition.ReadModule(new MemoryStream(image, writable: false),
                new ReaderParameters { ReadSymbols = false, InMemory = true, AssemblyResolver = resolver });
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or EndOfStreamException or ArgumentException)
        {
            throw new InstrumentationException($"not a readable .NET assembly: {e.Message}", e);
        }
    }

    // The Meter methods, referenced from the module being rewritten. Signatures are built from the
    // module's own core-library types, so no reference to the host's System.Private.CoreLib is added.
    private sealed class Probes
    {
        public readonly MethodReference Enter, Tick, CatchEntry, Alloc, StackAlloc;
        public readonly CostProbes Costs;

        public Probes(ModuleDefinition module)
        {
            var meter = module.ImportReference(typeof(Meter));
            Costs = new CostProbes(module, meter);
            var types = module.TypeSystem;
            Enter = Static(meter, nameof(Meter.Enter), types.Void);
            Tick = Static(meter, nameof(Meter.Tick), types.Void);
            CatchEntry = Static(meter, nameof(Meter.CatchEntry), types.Void);
            Alloc = Static(meter, nameof(Meter.Alloc), types.IntPtr, types.IntPtr, types.Int32);
            StackAlloc = Static(meter, nameof(Meter.StackAlloc), types.UIntPtr, types.UIntPtr);
        }

        private static MethodReference Static(TypeReference type, string name, TypeReference returns, params TypeReference[] parameters)
        {
            var method = new MethodReference(name, returns, type) { HasThis = false };
            foreach (var p in parameters) method.Parameters.Add(new ParameterDefinition(p));
            return method;
        }
    }

    // Refuses methods and modules whose IL would cost the JIT more than the limits allow.
    private static void CheckSize(ModuleDefinition module)
    {
        long total = 0;
        foreach (var type in module.GetTypes())
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                int size = method.Body.CodeSize;
                if (size > MaxMethodIl)
                    throw new InstrumentationException($"{method.FullName}: {size} bytes of IL, more than {MaxMethodIl} (the JIT's work on it is unmetered)", rule: "size");
                if ((total += size) > MaxModuleIl)
                    throw new InstrumentationException($"{module.Name}: more than {MaxModuleIl} bytes of IL in all (the JIT's work on it is unmetered)", rule: "size");
            }
    }

    // Refuses static fields in generic types: each instantiation has its own, which no reflection over the domain's
    // types can enumerate, so what they hold would escape the memory audit. The compiler's lambda cache (<>c) is
    // exempt: it holds only itself (<>9) and cached delegates (<>9__...), names C# source cannot write.
    private static void CheckGenericStatics(ModuleDefinition module)
    {
        foreach (var type in module.GetTypes())
            if (type.HasGenericParameters)
                foreach (var field in type.Fields)
                    if (field.IsStatic && !field.IsLiteral && !(type.Name.StartsWith("<>c", StringComparison.Ordinal) && field.Name.StartsWith("<>9", StringComparison.Ordinal)))
                        throw new InstrumentationException($"{type.FullName}::{field.Name}: a static field of a generic type (one per instantiation, out of reach of the memory audit)", rule: "generic-static");
    }

    // The module's methods whose address is taken (ldftn, ldvirtftn): delegates the base library may call back.
    private static HashSet<MethodDefinition> AddressTaken(ModuleDefinition module)
    {
        var taken = new HashSet<MethodDefinition>();
        foreach (var type in module.GetTypes())
            foreach (var method in type.Methods.Where(m => m.HasBody))
                foreach (var ins in method.Body.Instructions)
                    if (ins.OpCode.Code is Code.Ldftn or Code.Ldvirtftn && ins.Operand is MethodReference target
                        && (target.GetElementMethod() as MethodDefinition ?? Resolve(target)) is { } def && def.Module == module)
                        taken.Add(def);
        return taken;
    }

    private static MethodDefinition? Resolve(MethodReference method)
    {
        try { return method.Resolve(); } catch (AssemblyResolutionException) { return null; }
    }

    // Instruments one method; methods without IL must be abstract or runtime-provided (delegates).
    private static void Rewrite(MethodDefinition method, Probes probes, HashSet<MethodDefinition> calledBack)
    {
        if (!method.HasBody)
        {
            if (method.IsAbstract || method.IsRuntime) return;
            throw new InstrumentationException($"{method.FullName}: has no IL body (extern, P/Invoke or native)");
        }
        var body = method.Body;
        if (body.Instructions.Count == 0)
            throw new InstrumentationException($"{method.FullName}: empty method body");

        body.SimplifyMacros();
        var il = body.GetILProcessor();
        var instructions = body.Instructions;
        var index = new Dictionary<Instruction, int>(instructions.Count);
        for (int i = 0; i < instructions.Count; i++) index[instructions[i]] = i;

        // Decide on the original code, then rewrite.
        var backward = new List<Instruction>();
        var arrays = new List<Instruction>();
        var stackallocs = new List<Instruction>();
        var priced = new List<(Instruction Call, Cost Cost)>();
        foreach (var ins in instructions)
        {
            if (IsBackwardBranch(ins, index)) backward.Add(ins);
            else if (ins.OpCode.Code == Code.Newarr) arrays.Add(ins);
            else if (ins.OpCode.Code == Code.Localloc) stackallocs.Add(ins);
            else if (ins.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj && CostProbes.CostOf((MethodReference)ins.Operand) is not Cost.Constant and var cost)
                priced.Add((ins, cost));
        }

        // A leaf (no call of any kind, no backward branch) runs at most its own length and adds one frame
        // under a metered caller, whose Enter paid for the call and checked the stack: it needs no Enter.
        // Unless the base library can call it in a loop of its own, with no metered caller in between:
        // a virtual or interface method (an enumerator's MoveNext, a comparer, Equals) or one made into a
        // delegate. Such a leaf pays a Tick at entry: one unit of fuel; its stack is bounded, it calls nothing.
        bool leaf = backward.Count == 0 && !instructions.Any(IsCall);
        bool calledBackLeaf = leaf && (method.IsVirtual || calledBack.Contains(method));

        foreach (var branch in backward)
            Prefix(il, branch, Instruction.Create(OpCodes.Call, probes.Tick));
        foreach (var newarr in arrays)
            Prefix(il, newarr,
                Instruction.Create(OpCodes.Conv_Ovf_I),
                Instruction.Create(OpCodes.Ldc_I4, ElementSize((TypeReference)newarr.Operand, 0)),
                Instruction.Create(OpCodes.Call, probes.Alloc));
        foreach (var localloc in stackallocs)
            Prefix(il, localloc, Instruction.Create(OpCodes.Call, probes.StackAlloc));
        foreach (var (call, cost) in priced)
            probes.Costs.Insert(method, call, cost, (at, code) => Prefix(il, at, code));
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.HandlerType == ExceptionHandlerType.Catch)
                Prefix(il, handler.HandlerStart, Instruction.Create(OpCodes.Call, probes.CatchEntry));
            else if (handler.HandlerType == ExceptionHandlerType.Filter)
            {
                Prefix(il, handler.FilterStart, Instruction.Create(OpCodes.Call, probes.CatchEntry));
                Prefix(il, handler.HandlerStart, Instruction.Create(OpCodes.Call, probes.CatchEntry));
            }
        }
        // Plain insert: nothing refers to the new first instruction, so Enter runs once per call,
        // outside any protected region; a branch back to offset 0 is backward and ticks itself.
        if (!leaf || calledBackLeaf) il.InsertBefore(instructions[0], Instruction.Create(OpCodes.Call, calledBackLeaf ? probes.Tick : probes.Enter));
        body.OptimizeMacros();
    }

    // True for an instruction that calls or jumps into another method.
    private static bool IsCall(Instruction ins) =>
        ins.OpCode.Code is Code.Call or Code.Callvirt or Code.Calli or Code.Newobj or Code.Jmp;

    // True for a branch, leave or switch with some target at or before itself.
    private static bool IsBackwardBranch(Instruction ins, Dictionary<Instruction, int> index)
    {
        int at = index[ins];
        return ins.Operand switch
        {
            Instruction target when ins.OpCode.OperandType is OperandType.InlineBrTarget or OperandType.ShortInlineBrTarget
                => index[target] <= at,
            Instruction[] targets => targets.Any(t => index[t] <= at),
            _ => false,
        };
    }

    // Runs `prefix` immediately before `at`, with every reference to `at` (branches, handler
    // boundaries) now reaching the prefix: `at` itself becomes the first prefix instruction and
    // its original opcode moves to a new instruction after the prefix.
    private static void Prefix(ILProcessor il, Instruction at, params Instruction[] prefix)
    {
        var moved = Instruction.Create(OpCodes.Nop);
        moved.OpCode = at.OpCode;
        moved.Operand = at.Operand;
        at.OpCode = prefix[0].OpCode;
        at.Operand = prefix[0].Operand;
        var last = at;
        for (int i = 1; i < prefix.Length; i++)
        {
            il.InsertAfter(last, prefix[i]);
            last = prefix[i];
        }
        il.InsertAfter(last, moved);
    }

    // Bytes per array element, as charged by Meter.Alloc: exact for primitives and references,
    // the sum of the fields for structs (padding ignored), a pointer for open generic parameters.
    private static int ElementSize(TypeReference type, int depth)
    {
        switch (type.MetadataType)
        {
            case MetadataType.Boolean: case MetadataType.SByte: case MetadataType.Byte: return 1;
            case MetadataType.Char: case MetadataType.Int16: case MetadataType.UInt16: return 2;
            case MetadataType.Int32: case MetadataType.UInt32: case MetadataType.Single: return 4;
            case MetadataType.ValueType:
                break;
            default: return IntPtr.Size;
        }
        TypeDefinition? def;
        try { def = type.Resolve(); } catch (AssemblyResolutionException) { def = null; }
        if (def is null || depth > 8) return IntPtr.Size;
        if (def.IsEnum) return ElementSize(def.GetEnumUnderlyingType(), depth + 1);
        long size = 0;
        foreach (var field in def.Fields)
            if (!field.IsStatic) size += ElementSize(field.FieldType, depth + 1);
        return (int)Math.Clamp(size, 1, int.MaxValue);
    }
}

/// <summary>The instrumenter refused an assembly; the message names the assembly or method and why.</summary>
public sealed class InstrumentationException : Exception
{
    /// <summary>Creates the error with its reason, under <paramref name="rule"/> (the rule id reported with it).</summary>
    public InstrumentationException(string message, Exception? inner = null, string rule = "instrument") : base(message, inner) => Rule = rule;

    /// <summary>The rule id the refusal is reported under.</summary>
    public string Rule { get; }
}
