using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Busybox;

/// <summary>
/// The busybox that scripts/userland.sh builds from Debian's sources (static, riscv64), built on first use
/// (the script caches it under out/userland, so later runs only check its stamp), and its source tree.
/// </summary>
public static class BusyboxUserland
{
    private static readonly Lazy<IReadOnlyList<string>> AppletNames = new(ListApplets, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>out/userland/busybox: the binary, its source tree and the build stamp.</summary>
    public static string Folder => Path.Combine(Repo.Root, "out", "userland", "busybox");

    /// <summary>The busybox binary, built if missing or stale.</summary>
    public static string Binary => UserlandScript.Product("busybox", "busybox");

    /// <summary>Debian's busybox source tree the binary was built from (holds testsuite/).</summary>
    public static string SourceTree { get { _ = Binary; return Path.Combine(Folder, "src"); } }

    /// <summary>Every applet the binary holds (<c>busybox --list</c> under qemu), without "busybox" itself.</summary>
    public static IReadOnlyList<string> Applets => AppletNames.Value;

    private static IReadOnlyList<string> ListApplets()
    {
        var r = QemuRunner.Instance.Run(Binary, ["--list"]);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.Describe("qemu busybox --list"));
        return r.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(a => a != "busybox").ToArray();
    }
}
