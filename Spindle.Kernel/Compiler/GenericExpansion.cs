using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// Finds polymorphic recursion: a generic method or type of the extension that, through its own code, instantiates
/// itself with a type built from its own type parameter (<c>R&lt;T&gt;</c> calling <c>R&lt;List&lt;T&gt;&gt;</c>). Each
/// level is a new instantiation the runtime loads and compiles: hundreds of microseconds of type loading and JIT
/// per unit of fuel, none of it metered, and memory that stays until the domain is unloaded. This is ECMA-335's
/// "expanding" generic cycle (Partition II, 9.2): in the graph whose nodes are the module's generic parameters, with an
/// edge from X to P wherever code instantiates parameter P with a type argument mentioning X (an expanding edge
/// when the argument is more than X itself), a cycle through an expanding edge means unboundedly many instantiations.
/// </summary>
internal static class GenericExpansion
{
    /// <summary>A sentence naming the first expanding cycle's method and instantiation, or null if there is none.</summary>
    public static string? Find(ModuleDefinition module)
    {
        var graph = new Graph();
        foreach (var type in module.GetTypes())
            foreach (var method in type.Methods.Where(m => m.HasBody))
                foreach (var ins in method.Body.Instructions)
                    graph.AddUses(method, ins.Operand);
        return graph.FindExpandingCycle();
    }

    // A generic parameter of the module: its owner's metadata token, whether it is a method's, and its position.
    private readonly record struct Node(uint Owner, bool OfMethod, int Position);

    private sealed class Graph
    {
        private readonly Dictionary<Node, List<(Node To, bool Expanding, string Where)>> _edges = [];

        // Records the instantiations an operand of `method`'s body makes.
        public void AddUses(MethodDefinition method, object? operand)
        {
            switch (operand)
            {
                case GenericInstanceMethod gim:
                    if (gim.ElementMethod.Resolve() is { } target && target.Module == method.Module)
                        Link(method, target, ofMethod: true, gim.GenericArguments, gim.FullName);
                    foreach (var arg in gim.GenericArguments) AddUses(method, arg);
                    AddUses(method, gim.DeclaringType);
                    break;
                case MethodReference m:
                    AddUses(method, m.DeclaringType);
                    break;
                case FieldReference f:
                    AddUses(method, f.DeclaringType);
                    break;
                case GenericInstanceType git:
                    if (git.ElementType.Resolve() is { } def && def.Module == method.Module)
                        Link(method, def, ofMethod: false, git.GenericArguments, git.FullName);
                    foreach (var arg in git.GenericArguments) AddUses(method, arg);
                    break;
                case TypeSpecification spec:
                    AddUses(method, spec.ElementType);
                    break;
            }
        }

        // Parameter i of `target` is instantiated with arguments[i] inside `context`'s body.
        private void Link(MethodDefinition context, IGenericParameterProvider target, bool ofMethod, IList<TypeReference> arguments, string where)
        {
            for (int i = 0; i < arguments.Count; i++)
            {
                var to = new Node(target.MetadataToken.ToUInt32(), ofMethod, i);
                foreach (var from in ParametersIn(context, arguments[i]))
                {
                    if (!_edges.TryGetValue(from, out var list)) _edges[from] = list = [];
                    list.Add((to, arguments[i] is not GenericParameter, where));
                }
            }
        }

        // The context's generic parameters a type argument mentions.
        private static IEnumerable<Node> ParametersIn(MethodDefinition context, TypeReference type)
        {
            switch (type)
            {
                case GenericParameter p:
                    yield return p.Type == GenericParameterType.Method
                        ? new Node(context.MetadataToken.ToUInt32(), true, p.Position)
                        : new Node(context.DeclaringType.MetadataToken.ToUInt32(), false, p.Position);
                    break;
                case GenericInstanceType g:
                    foreach (var arg in g.GenericArguments)
                        foreach (var n in ParametersIn(context, arg)) yield return n;
                    break;
                case TypeSpecification spec:
                    foreach (var n in ParametersIn(context, spec.ElementType)) yield return n;
                    break;
            }
        }

        // For each expanding edge X -> P: does P lead back to X?
        public string? FindExpandingCycle()
        {
            foreach (var (from, edges) in _edges)
                foreach (var (to, expanding, where) in edges)
                    if (expanding && Reaches(to, from))
                        return $"{where} instantiates a generic with a type built from its own type parameter, recursively: " +
                               "each level is a new type the runtime loads and compiles, unmetered (polymorphic recursion)";
            return null;
        }

        private bool Reaches(Node start, Node goal)
        {
            var seen = new HashSet<Node> { start };
            var pending = new Stack<Node>([start]);
            while (pending.TryPop(out var n))
            {
                if (n == goal) return true;
                if (_edges.TryGetValue(n, out var next))
                    foreach (var e in next)
                        if (seen.Add(e.To)) pending.Push(e.To);
            }
            return false;
        }
    }
}
