using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Spindle.Kernel.Compiler;

/// <summary>
/// The source policy: walks every syntax node of every file with the semantic model, checks each
/// symbol use against <see cref="ApiRules"/> and each unsafe construct against its rule, and
/// reports the file, line and column of each use. Runs even when the compilation has errors, so
/// that a forbidden name the reference set cannot resolve still gets its rule.
/// </summary>
internal sealed class SourcePolicy
{
    private readonly CSharpCompilation _compilation;
    private readonly ExtensionPolicy _policy;
    private readonly List<Violation> _found = [];
    private readonly HashSet<(string, int, string, string)> _seen = [];

    private SourcePolicy(CSharpCompilation compilation, ExtensionPolicy policy)
    {
        _compilation = compilation;
        _policy = policy;
    }

    /// <summary>Returns every violation in the compilation, then the compiler errors on lines without one.</summary>
    public static List<Violation> Check(CSharpCompilation compilation, ExtensionPolicy policy)
    {
        var p = new SourcePolicy(compilation, policy);
        foreach (var tree in compilation.SyntaxTrees) p.Walk(tree);
        p.AddCompileErrors();
        return p._found.OrderBy(v => v.File, StringComparer.Ordinal).ThenBy(v => v.Line).ThenBy(v => v.Column).ToList();
    }

    private void Walk(SyntaxTree tree)
    {
        var model = _compilation.GetSemanticModel(tree);
        var nameofArgs = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" } && model.GetOperation(i) is INameOfOperation)
            .Select(i => i.ArgumentList.Span).ToList();
        foreach (var node in tree.GetRoot().DescendantNodesAndSelf())
        {
            CheckSyntax(node, model);
            bool inNameof = nameofArgs.Any(s => s.Contains(node.Span));
            foreach (var symbol in SymbolsOf(node, model))
                CheckSymbol(symbol, node, inNameof, depth: 0);
        }
    }

    // Constructs that are refused whatever they name (stackalloc: all but the checked byte-span form).
    private void CheckSyntax(SyntaxNode node, SemanticModel model)
    {
        switch (node)
        {
            case UnsafeStatementSyntax:
                Report(node, "unsafe", "unsafe block: extensions must be verifiably type-safe"); break;
            case MemberDeclarationSyntax m when m.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                Report(m.Modifiers.First(t => t.IsKind(SyntaxKind.UnsafeKeyword)), "unsafe", "unsafe modifier: extensions must be verifiably type-safe"); break;
            case LocalFunctionStatementSyntax f when f.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                Report(node, "unsafe", "unsafe local function: extensions must be verifiably type-safe"); break;
            case FixedStatementSyntax:
                Report(node, "unsafe", "fixed statement: pins memory and yields a raw pointer"); break;
            case StackAllocArrayCreationExpressionSyntax sa when !IsByteSpanStackAlloc(sa, model):
                Report(node, "stackalloc", $"stackalloc: only `Span<byte> b = stackalloc byte[n]` (no initializer, at most {Spindle.Sdk.Runtime.Meter.MaxStackAlloc} bytes, checked at run time) may allocate on the host stack"); break;
            case ImplicitStackAllocArrayCreationExpressionSyntax:
                Report(node, "stackalloc", "stackalloc with an initializer: use `Span<byte> b = stackalloc byte[n]` or an array"); break;
            case PointerTypeSyntax:
                Report(node, "pointer", $"pointer type {node}: pointers break type safety"); break;
            case FunctionPointerTypeSyntax:
                Report(node, "pointer", $"function pointer type {node}: calls through raw addresses"); break;
            case PrefixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.AddressOfExpression) || p.IsKind(SyntaxKind.PointerIndirectionExpression):
                Report(node, "pointer", $"{node}: raw address arithmetic"); break;
            case MemberAccessExpressionSyntax a when a.IsKind(SyntaxKind.PointerMemberAccessExpression):
                Report(node, "pointer", $"{node}: member access through a pointer"); break;
            case DestructorDeclarationSyntax d:
                Report(d.Identifier, "finalizer", $"finalizer ~{d.Identifier.ValueText}: would run on the host finalizer thread"); break;
            case LockStatementSyntax:
                Report(node, "threading", "lock statement: host thread synchronization belongs to the kernel"); break;
            case MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax:
                Report(node, "typedref", $"{node.GetFirstToken()}: typed references escape type safety"); break;
            case ExpressionSyntax e when e.IsKind(SyntaxKind.ArgListExpression):
                Report(node, "arglist", "__arglist: variable argument lists escape type safety"); break;
            case AttributeSyntax a when IsSynchronized(a, model):
                Report(node, "threading", "[MethodImpl(MethodImplOptions.Synchronized)]: takes a host monitor, as lock would"); break;
            case InterpolationSyntax i:
                CheckInterpolation(i, model); break;
            case InvocationExpressionSyntax call when model.GetOperation(call) is IInvocationOperation op
                                                  && !SymbolEqualityComparer.Default.Equals(op.TargetMethod.ContainingAssembly, _compilation.Assembly):
                CheckFormatArguments(op); break;
        }
        if (node is BaseMethodDeclarationSyntax md && md.Modifiers.Any(SyntaxKind.ExternKeyword))
            Report(md.Modifiers.First(t => t.IsKind(SyntaxKind.ExternKeyword)), "pinvoke", "extern method: calls native code");
        else if (node is BasePropertyDeclarationSyntax pd && pd.Modifiers.Any(SyntaxKind.ExternKeyword))
            Report(pd.Modifiers.First(t => t.IsKind(SyntaxKind.ExternKeyword)), "pinvoke", "extern member: calls native code");
        else if (node is LocalFunctionStatementSyntax lf && lf.Modifiers.Any(SyntaxKind.ExternKeyword))
            Report(lf.Modifiers.First(t => t.IsKind(SyntaxKind.ExternKeyword)), "pinvoke", "extern local function: calls native code");
        else if (node is FieldDeclarationSyntax fd && fd.Modifiers.Any(SyntaxKind.FixedKeyword))
            Report(node, "unsafe", "fixed-size buffer: unchecked inline memory");
    }

    // An interpolation hole's alignment and format are constants: they may not ask for a huge output.
    private void CheckInterpolation(InterpolationSyntax i, SemanticModel model)
    {
        string? why = null;
        if (i.AlignmentClause is { } a && model.GetConstantValue(a.Value) is { HasValue: true, Value: { } width })
            why = FormatStrings.AlignmentTooWide(Convert.ToInt64(width, System.Globalization.CultureInfo.InvariantCulture));
        if (i.FormatClause is { } f) why ??= FormatStrings.TooWide(f.FormatStringToken.ValueText);
        if (why is not null) Report(i, "cost", $"interpolation hole {i}: {why}, a size no argument the meter sees can charge");
    }

    // A base-library format argument must be a constant (or null) that does not ask for a huge output.
    private void CheckFormatArguments(IInvocationOperation op)
    {
        foreach (var arg in op.Arguments)
        {
            if (arg.Parameter is not { Name: "format" } p || arg.ArgumentKind == ArgumentKind.DefaultValue
                || p.Type.SpecialType != SpecialType.System_String && p.Type is not INamedTypeSymbol { MetadataName: "ReadOnlySpan`1" })
                continue;
            var value = arg.Value is IConversionOperation c ? c.Operand : arg.Value;
            string at = $"{op.TargetMethod.ToDisplayString()}: format";
            if (!value.ConstantValue.HasValue)
                Report(arg.Syntax, "cost", $"{at} chosen at run time: a format can ask for any number of characters ('D999999999'); pass a constant");
            else if (value.ConstantValue.Value is string text && FormatStrings.TooWide(text) is { } why)
                Report(arg.Syntax, "cost", $"{at} \"{text}\": {why}, a size no argument the meter sees can charge");
        }
    }

    // [MethodImpl(...)] whose options include Synchronized.
    private static bool IsSynchronized(AttributeSyntax a, SemanticModel model) =>
        model.GetSymbolInfo(a).Symbol is IMethodSymbol { ContainingType: { Name: "MethodImplAttribute" } attribute }
        && attribute.ContainingNamespace.ToDisplayString() == "System.Runtime.CompilerServices"
        && a.ArgumentList?.Arguments is [{ NameEquals: null } first, ..]
        && model.GetConstantValue(first.Expression) is { HasValue: true, Value: { } value }
        && (Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) & (long)System.Runtime.CompilerServices.MethodImplOptions.Synchronized) != 0;

    // `stackalloc byte[n]` without initializer, converted to Span<byte>: the shape MetadataPolicy admits.
    private static bool IsByteSpanStackAlloc(StackAllocArrayCreationExpressionSyntax sa, SemanticModel model) =>
        sa.Initializer is null
        && sa.Type is ArrayTypeSyntax { RankSpecifiers: [{ Sizes: [not OmittedArraySizeExpressionSyntax] }] } array
        && model.GetTypeInfo(array.ElementType).Type is { SpecialType: SpecialType.System_Byte }
        && model.GetTypeInfo(sa).ConvertedType is INamedTypeSymbol { MetadataName: "Span`1", ContainingNamespace.Name: "System" } span
        && span.ContainingNamespace.ContainingNamespace.IsGlobalNamespace;

    // The symbols a node names or invokes (names, constructors, indexers, operators, attributes, foreach).
    private static IEnumerable<ISymbol> SymbolsOf(SyntaxNode node, SemanticModel model)
    {
        switch (node)
        {
            case SimpleNameSyntax or BaseObjectCreationExpressionSyntax or ElementAccessExpressionSyntax
                or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax
                or AssignmentExpressionSyntax or AttributeSyntax or ConstructorInitializerSyntax
                or PrimaryConstructorBaseTypeSyntax or ImplicitElementAccessSyntax:
                var info = model.GetSymbolInfo(node);
                if (info.Symbol is { } s) yield return s;
                else foreach (var c in info.CandidateSymbols) yield return c;
                if (node is SimpleNameSyntax && model.GetTypeInfo(node).Type is { TypeKind: TypeKind.Dynamic } dyn)
                    yield return dyn;
                break;
            case CastExpressionSyntax cast:
                if (model.GetConversion(cast.Expression).MethodSymbol is { } conv) yield return conv;
                break;
            case CommonForEachStatementSyntax fe:
                var fi = model.GetForEachStatementInfo(fe);
                if (fi.GetEnumeratorMethod is { } ge) yield return ge;
                break;
            case QueryClauseSyntax or SelectOrGroupClauseSyntax or OrderingSyntax:
                foreach (var q in QuerySymbols(node, model)) yield return q;
                break;
        }
    }

    private static IEnumerable<ISymbol> QuerySymbols(SyntaxNode node, SemanticModel model)
    {
        if (node is QueryClauseSyntax qc)
        {
            var qi = model.GetQueryClauseInfo(qc);
            if (qi.CastInfo.Symbol is { } a) yield return a;
            if (qi.OperationInfo.Symbol is { } b) yield return b;
        }
        else if (model.GetSymbolInfo(node).Symbol is { } s) yield return s;
    }

    // Checks one referenced symbol and the types it carries (type arguments, signatures).
    private void CheckSymbol(ISymbol symbol, SyntaxNode at, bool inNameof, int depth)
    {
        if (depth > 8) return;
        switch (symbol)
        {
            case IAliasSymbol alias: CheckSymbol(alias.Target, at, inNameof, depth + 1); return;
            case INamespaceSymbol ns:
                string name = ns.ToDisplayString();
                if (name.StartsWith("Spindle.Sdk", StringComparison.Ordinal) && ApiRules.IsPrivileged(name))
                    Report(at, "sdk-runtime", $"namespace {name}: only the instrumenter may insert calls to Spindle.Sdk.Runtime");
                return;
            case IDynamicTypeSymbol:
                if (!inNameof) Report(at, "dynamic", "dynamic: late binding is reflection");
                return;
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                if (!inNameof) Report(at, "pointer", $"{symbol.ToDisplayString()}: pointers break type safety");
                return;
            case IArrayTypeSymbol arr: CheckSymbol(arr.ElementType, at, inNameof, depth + 1); return;
            case ITypeParameterSymbol or ILocalSymbol or IParameterSymbol or ILabelSymbol or IRangeVariableSymbol
                or IDiscardSymbol or IPreprocessingSymbol:
                return;
        }
        if (symbol is IMethodSymbol { ReducedFrom: { } unreduced }) symbol = unreduced;
        var declaring = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        if (declaring is null) return;

        bool external = !SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _compilation.Assembly);
        if (external)
        {
            // An assigned property is checked as its setter (set_Length may be refused where Length is not).
            var r = ToApiRef(symbol is IPropertySymbol { SetMethod: { } setter } && IsAssigned(at) ? setter : symbol, declaring);
            if (ApiRules.Check(r, RefSite.Source, _policy.SdkGrants) is { } hit && (!inNameof || hit.Rule == "sdk-runtime"))
                Report(at, hit.Rule, $"{symbol.ToDisplayString()}: {hit.Why}");
        }
        if (inNameof) return;
        foreach (var carried in CarriedTypes(symbol, external))
            CheckSymbol(carried, at, inNameof, depth + 1);
    }

    // True if the name is the target of an assignment, compound assignment, ++ or --.
    private static bool IsAssigned(SyntaxNode name)
    {
        var target = name.Parent is MemberAccessExpressionSyntax ma && ma.Name == name ? ma : name;
        return target.Parent switch
        {
            AssignmentExpressionSyntax a => a.Left == target,
            PrefixUnaryExpressionSyntax u => u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression),
            PostfixUnaryExpressionSyntax u => u.IsKind(SyntaxKind.PostIncrementExpression) || u.IsKind(SyntaxKind.PostDecrementExpression),
            _ => false,
        };
    }

    // Types a symbol use brings along: generic arguments, and for base-library members their signature.
    private static IEnumerable<ITypeSymbol> CarriedTypes(ISymbol symbol, bool external)
    {
        for (var t = symbol as INamedTypeSymbol ?? symbol.ContainingType; t is not null; t = t.ContainingType)
            foreach (var a in t.TypeArguments) yield return a;
        if (symbol is IMethodSymbol m)
        {
            foreach (var a in m.TypeArguments) yield return a;
            if (!external) yield break;
            yield return m.ReturnType;
            foreach (var p in m.Parameters) yield return p.Type;
        }
        else if (external && symbol is IFieldSymbol f) yield return f.Type;
        else if (external && symbol is IPropertySymbol p) yield return p.Type;
    }

    private static ApiRef ToApiRef(ISymbol symbol, INamedTypeSymbol declaring)
    {
        var outer = declaring;
        string? nested = null;
        for (; outer.ContainingType is not null; outer = outer.ContainingType)
            nested = nested is null ? outer.MetadataName : outer.MetadataName + "+" + nested;
        string ns = outer.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        if (symbol is INamedTypeSymbol) return new ApiRef(ns, outer.MetadataName, null, Nested: nested);
        IReadOnlyList<string>? ps = symbol is IMethodSymbol m ? m.Parameters.Select(p => FullName(p.Type)).ToList() : null;
        return new ApiRef(ns, outer.MetadataName, symbol.MetadataName, ps, nested);
    }

    /// <summary>The metadata-style full name of a type (<c>System.String</c>), as the IL policy spells it.</summary>
    internal static string FullName(ITypeSymbol t) => t switch
    {
        IArrayTypeSymbol { IsSZArray: true } a => FullName(a.ElementType) + "[]",
        INamedTypeSymbol { ContainingType: { } c } => FullName(c) + "+" + t.MetadataName,
        INamedTypeSymbol { ContainingNamespace.IsGlobalNamespace: false } => t.ContainingNamespace.ToDisplayString() + "." + t.MetadataName,
        _ => t.MetadataName,
    };

    // Compiler errors: an unresolved name that is a known forbidden API gets its rule; other errors are
    // reported as "compile" unless a policy violation already explains that line.
    private void AddCompileErrors()
    {
        var errors = _compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (var d in errors)
            if (d.Location.SourceTree is { } tree)
            {
                var node = tree.GetRoot().FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true);
                var known = d.Id switch
                {
                    "CS0246" or "CS0103" or "CS0234" or "CS0400" or "CS0012" => UnresolvedNames.Classify(node),
                    "CS1061" or "CS1935" => UnresolvedNames.ClassifyQueryOperator(d.Id, node),
                    _ => null,
                };
                if (known is var (name, hit))
                    Report(node, hit.Rule, $"{name}: {hit.Why} (and it is not available to extensions)");
            }
        var explained = _found.Select(v => (v.File, v.Line)).ToHashSet();
        foreach (var d in errors)
        {
            var pos = d.Location.GetLineSpan();
            string file = pos.Path.Length > 0 ? pos.Path : "<source>";
            if (explained.Contains((file, pos.StartLinePosition.Line + 1))) continue;
            Add(new Violation(file, pos.StartLinePosition.Line + 1, pos.StartLinePosition.Character + 1, "compile",
                $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
        }
    }

    private void Report(SyntaxNode node, string rule, string what) => Report(node.GetLocation(), rule, what);
    private void Report(SyntaxToken token, string rule, string what) => Report(token.GetLocation(), rule, what);

    private void Report(Location loc, string rule, string what)
    {
        var pos = loc.GetLineSpan();
        Add(new Violation(pos.Path.Length > 0 ? pos.Path : "<source>", pos.StartLinePosition.Line + 1,
            pos.StartLinePosition.Character + 1, rule, what));
    }

    private void Add(Violation v)
    {
        if (_seen.Add((v.File, v.Line, v.Rule, v.What))) _found.Add(v);
    }
}
