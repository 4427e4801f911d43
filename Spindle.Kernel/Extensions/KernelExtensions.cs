using Spindle.Kernel.Boot;

namespace Spindle.Kernel.Extensions;

/// <summary>What `spindle run --ext` sets up: the manager, the program-facing calls, and the extensions named on the command line.</summary>
public static class KernelExtensions
{
    /// <summary>
    /// Creates <paramref name="kernel"/>'s extension manager (key and cache under <paramref name="spindleHome"/>),
    /// installs the spindle_ext_load/unload calls, and loads each of <paramref name="paths"/> in order.
    /// Call after the personality is attached, so that the calls answer over it. Returns null after
    /// writing the reasons to <paramref name="err"/> if an extension cannot be loaded.
    /// </summary>
    public static ProgramExtensions? Start(KernelRoot kernel, string spindleHome, IEnumerable<string> paths, TextWriter err) =>
        Start(kernel, ExtensionManager.ForKernel(kernel, spindleHome), paths, err);

    /// <summary>As <see cref="Start(KernelRoot, string, IEnumerable{string}, TextWriter)"/>, with an existing manager of <paramref name="kernel"/> (the one the personality was loaded by).</summary>
    public static ProgramExtensions? Start(KernelRoot kernel, ExtensionManager manager, IEnumerable<string> paths, TextWriter err)
    {
        var calls = new ProgramExtensions(kernel, manager, err);
        foreach (var path in paths)
            if (manager.Load(path, out string? error) is null)
            {
                err.WriteLine($"spindle: extension {path}: {error}");
                return null;
            }
        return calls;
    }
}
