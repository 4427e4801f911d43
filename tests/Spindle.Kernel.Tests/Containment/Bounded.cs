using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using Xunit.Sdk;

namespace Spindle.Kernel.Tests.Containment;

/// <summary>
/// Runs a hostile case so that a hang is a failing test, not a stuck run: the case runs on its own thread
/// (8 MB of stack, as the CLI's main thread on which the kernel runs) and fails "hung" if it has not
/// finished within the limit. Extension code can never be aborted, so on a hang the harness sets the
/// <c>Hang.Released</c> flag of the case's extension domains (hostile code loops on it where the kernel may
/// run it unmetered), letting the abandoned thread end. Nothing here reads a member of an extension's object:
/// an exception that escapes is described by its type (and by its message only if the type is the base
/// library's and cannot delegate to another exception's members).
/// </summary>
public static class Bounded
{
    /// <summary>The time a case may take.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private const int StackSize = 8 << 20;

    /// <summary>
    /// Runs <paramref name="body"/> on a fresh thread; rethrows a test failure it raised, turns any other
    /// exception into a failure naming it, and fails "hung" after <see cref="Limit"/>, releasing the
    /// extension domains named in <paramref name="domains"/>.
    /// </summary>
    public static void Run(string what, Action body, params string[] domains)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { error = e; }
        }, StackSize) { IsBackground = true, Name = "hostile " + what };
        thread.Start();
        if (!thread.Join(Limit))
        {
            foreach (string domain in domains) Release(domain);
            thread.Join(TimeSpan.FromSeconds(10));
            Assert.Fail($"{what}: hung (no answer within {Limit.TotalSeconds:0} s)");
        }
        if (error is XunitException) ExceptionDispatchInfo.Capture(error).Throw();
        if (error is not null) Assert.Fail($"{what}: exception escaped the harness: {Describe(error)}");
    }

    /// <summary>A description of <paramref name="e"/> that runs no extension code: its type, and the message of a base-library type.</summary>
    public static string Describe(Exception e)
    {
        var type = e.GetType();
        if (type.Assembly.IsCollectible || e is AggregateException) return type.FullName ?? type.Name;
        try { return $"{type.FullName}: {e.Message}"; }
        catch (Exception) { return type.FullName ?? type.Name; }
    }

    /// <summary>Sets <c>Hang.Released</c> in every loaded assembly of extension domain <paramref name="domain"/> (best effort).</summary>
    public static void Release(string domain)
    {
        foreach (var context in AssemblyLoadContext.All.Where(c => c.Name == "extension:" + domain).ToList())
            foreach (var assembly in context.Assemblies)
            {
                try { assembly.GetType("Hang")?.GetField("Released", BindingFlags.Public | BindingFlags.Static)?.SetValue(null, true); }
                catch (Exception) { /* an unloading context: nothing left to release */ }
            }
    }

    /// <summary>
    /// A memory baseline: managed memory after full collections repeated until it stops falling (by less than
    /// 1 MB), so that load contexts of earlier cases still being unloaded are not counted as this case's.
    /// </summary>
    public static long Baseline()
    {
        long last = GC.GetTotalMemory(true);
        for (int i = 0; i < 10; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long now = GC.GetTotalMemory(true);
            if (last - now < 1 << 20) return now;
            last = now;
        }
        return last;
    }

    /// <summary>Managed memory after full collections, retried while above <paramref name="bound"/> (unloading contexts need a few rounds).</summary>
    public static long SettledMemory(long bound)
    {
        long now = GC.GetTotalMemory(true);
        for (int i = 0; i < 10 && now > bound; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            now = GC.GetTotalMemory(true);
        }
        return now;
    }
}
