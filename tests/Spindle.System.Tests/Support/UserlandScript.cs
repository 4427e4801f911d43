namespace Spindle.System.Tests.Support;

/// <summary>
/// scripts/userland.sh, which builds the programs of Debian's sources the tests run (busybox, lua, zlib's minigzip)
/// into out/userland: run once per test process (it caches its products, so a later run only checks their stamps).
/// </summary>
public static class UserlandScript
{
    private static readonly Lazy<bool> Ran = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>out/userland/<paramref name="package"/>/<paramref name="product"/>, built if missing or stale; throws with
    /// the script's output if it fails.</summary>
    public static string Product(string package, string product)
    {
        _ = Ran.Value;
        string path = Path.Combine(Repo.Root, "out", "userland", package, product);
        if (!File.Exists(path)) throw new InvalidOperationException($"scripts/userland.sh succeeded but {path} is missing");
        return path;
    }

    // Runs the script with our environment (it may need apt); throws with its output on failure.
    private static bool Run()
    {
        var r = ProcessRunner.Run(Tools.Require("bash", "bash"), [Path.Combine(Repo.Root, "scripts", "userland.sh")], [],
            environment: null, TimeSpan.FromMinutes(20));
        if (r.ExitCode != 0 || r.TimedOut)
            throw new InvalidOperationException($"scripts/userland.sh failed (exit {r.ExitCode}{(r.TimedOut ? ", timed out" : "")}):\n{r.Stderr}");
        return true;
    }
}
