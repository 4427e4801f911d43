using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Busybox;

/// <summary>
/// Two throwaway trees in which the same busybox command runs under Spindle and under qemu-riscv64, so that
/// their outputs can be compared byte for byte. Each tree has <c>bin/</c> with every applet and a work
/// folder <c>w/</c> (the command's working directory) filled identically by the caller.
/// <para>Spindle's tree is its <c>--root</c>: bin/busybox and a symbolic link per applet, PATH=/bin.
/// qemu-user cannot execve a RISC-V program (no binfmt_misc here), so busybox's re-exec of itself fails
/// there and ash falls back to PATH: qemu's bin/ holds one host script per applet that runs
/// <c>qemu-riscv64 -0 APPLET busybox "$@"</c>, and PATH names that folder only (never the host's tools).</para>
/// </summary>
public sealed class BusyboxRoots : IDisposable
{
    /// <summary>Spindle's root folder.</summary>
    public string SpindleRoot { get; }

    /// <summary>qemu's tree (a host folder; the program sees host paths).</summary>
    public string QemuRoot { get; }

    /// <summary>Makes both trees; <paramref name="populate"/> fills each work folder (called once per tree).</summary>
    public BusyboxRoots(Action<string> populate)
    {
        string busybox = BusyboxUserland.Binary;
        string qemu = Tools.Require("qemu-riscv64", "qemu-user");
        string top = Path.Combine(Path.GetTempPath(), $"spindle-busybox-{Guid.NewGuid():N}");
        SpindleRoot = Path.Combine(top, "spindle");
        QemuRoot = Path.Combine(top, "qemu");

        string spindleBin = Directory.CreateDirectory(Path.Combine(SpindleRoot, "bin")).FullName;
        File.Copy(busybox, Path.Combine(spindleBin, "busybox"));
        foreach (string a in BusyboxUserland.Applets) File.CreateSymbolicLink(Path.Combine(spindleBin, a), "busybox");
        Directory.CreateDirectory(Path.Combine(SpindleRoot, "tmp"));

        string qemuBin = Directory.CreateDirectory(Path.Combine(QemuRoot, "bin")).FullName;
        foreach (string a in BusyboxUserland.Applets.Append("busybox"))
            WriteScript(Path.Combine(qemuBin, a), $"#!/bin/sh\nexec '{qemu}' -0 '{a}' '{busybox}' \"$@\"\n");

        foreach (string root in new[] { SpindleRoot, QemuRoot }) populate(Directory.CreateDirectory(Path.Combine(root, "w")).FullName);
    }

    /// <summary>Runs <c>busybox ARGV...</c> under Spindle in w/ of its root.</summary>
    public RunResult RunSpindle(IReadOnlyList<string> argv, byte[]? stdin = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run(SpindleRunner.DotnetHost(), [SpindleRunner.Dll, "run", "--root", SpindleRoot, BusyboxUserland.Binary, .. argv],
            stdin ?? [], ProcessRunner.FixedEnvironment, timeout ?? TimeSpan.FromSeconds(120), Path.Combine(SpindleRoot, "w"));

    /// <summary>
    /// Runs <c>busybox ARGV...</c> under qemu-riscv64 in w/ of its tree, with SIGPIPE at its default action:
    /// the test host (.NET) ignores it and an ignored signal stays ignored across execve, where a program
    /// started by Spindle (or a shell) gets the default.
    /// </summary>
    public RunResult RunQemu(IReadOnlyList<string> argv, byte[]? stdin = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run(Tools.Require("env", "coreutils"),
            ["--default-signal=PIPE", Tools.Require("qemu-riscv64", "qemu-user"), BusyboxUserland.Binary, .. argv], stdin ?? [],
            QemuEnvironment, timeout ?? TimeSpan.FromSeconds(60), Path.Combine(QemuRoot, "w"));

    /// <summary>The fixed environment with PATH naming qemu's bin/ (the applet scripts) only.</summary>
    public IEnumerable<KeyValuePair<string, string>> QemuEnvironment =>
        ProcessRunner.FixedEnvironment.Select(kv => kv.Key == "PATH" ? new(kv.Key, Path.Combine(QemuRoot, "bin")) : kv);

    /// <summary>Writes an executable host script.</summary>
    public static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(SpindleRoot)!, recursive: true); }
        catch (IOException) { } // a straggling child still writing: the temp folder is left behind
    }
}
