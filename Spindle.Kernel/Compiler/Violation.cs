namespace Spindle.Kernel.Compiler;

/// <summary>
/// One reason an extension is refused: where (a source file and position, or an assembly and the
/// method and IL offset), the rule broken, and what was named.
/// </summary>
/// <param name="File">The source file or the assembly.</param>
/// <param name="Line">1-based line, or 0 when the place is an IL location (then see <paramref name="What"/>).</param>
/// <param name="Column">1-based column, or 0.</param>
/// <param name="Rule">A stable rule id, such as <c>pinvoke</c> or <c>reflection</c>.</param>
/// <param name="What">The type or member and why it is refused.</param>
public sealed record Violation(string File, int Line, int Column, string Rule, string What)
{
    /// <summary>Formats as <c>file(line,col): rule: what</c>, or <c>file: rule: what</c> without a position.</summary>
    public override string ToString() =>
        Line > 0 ? $"{File}({Line},{Column}): {Rule}: {What}" : $"{File}: {Rule}: {What}";
}
