using Spindle.Kernel.Boot;

namespace Spindle.Cli;

/// <summary>
/// The storage options <c>spindle run</c> and <c>spindle boot</c> share: <c>--disk FILE[,ro]</c> (several: vda, vdb, ...
/// in order) and <c>--mount DISK:PATH[:TYPE]</c> (DISK as vda or /dev/vda, PATH absolute, TYPE ext2 by default).
/// </summary>
internal sealed class DiskOptions
{
    /// <summary>The disks, in order.</summary>
    public List<DiskImage> Disks { get; } = [];

    /// <summary>The mounts, in order.</summary>
    public List<DiskMount> Mounts { get; } = [];

    /// <summary>Takes the option at <paramref name="i"/> (--disk or --mount) and its value; false and why if it is malformed.</summary>
    public bool TryParse(string[] args, ref int i, out string? error)
    {
        error = null;
        string option = args[i];
        if (i + 1 >= args.Length) { error = $"{option} needs a value"; return false; }
        string value = args[++i];
        if (option == "--disk")
        {
            bool readOnly = value.EndsWith(",ro", StringComparison.Ordinal);
            string path = readOnly ? value[..^3] : value;
            if (path.Length == 0) { error = "--disk needs FILE[,ro]"; return false; }
            Disks.Add(new DiskImage(Path.GetFullPath(path), readOnly));
            return true;
        }
        string[] parts = value.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || !parts[1].StartsWith('/') || (parts.Length == 3 && parts[2].Length == 0))
        {
            error = $"--mount {value}: expected DISK:PATH[:TYPE], e.g. /dev/vda:/mnt";
            return false;
        }
        Mounts.Add(parts.Length == 3 ? new DiskMount(parts[0], parts[1], parts[2]) : new DiskMount(parts[0], parts[1]));
        return true;
    }
}
