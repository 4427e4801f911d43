namespace Spindle.Kernel.Compiler;

internal static partial class ApiCosts
{
    // The priced members (placeholder until the table is written).
    private static partial Dictionary<string, Dictionary<string, Cost>> Build() => new()
    {
        ["System.String"] = new() { ["PadLeft"] = Cost.This | Cost.Count | Cost.Allocates, ["PadRight"] = Cost.This | Cost.Count | Cost.Allocates },
    };
}
