using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Vfs;

/// <summary>The argument of <see cref="IFileSystemTypes.Mount"/>: mount a file system of <paramref name="Type"/> on a disk.</summary>
/// <param name="Type">The file system's type name ("ext2"); a handler guards on it.</param>
/// <param name="Device">The disk's device number in the buffer cache (<see cref="Block.IBufferCache"/>).</param>
/// <param name="ReadOnly">True: no write may reach the disk.</param>
public readonly record struct MountRequest(string Type, int Device, bool ReadOnly);

/// <summary>
/// A mount handler's answer: the mounted file system, or a negated errno and the reason for a person ("unsupported
/// feature: extents"). The default value (what a handler that faulted yields) is a failure.
/// </summary>
public readonly record struct MountResult(IFileSystem? FileSystem, int Error, string? Reason)
{
    /// <summary>Mounted.</summary>
    public static MountResult Of(IFileSystem fs) => new(fs, 0, null);

    /// <summary>Refused with <paramref name="error"/> (a negated errno) because of <paramref name="reason"/>.</summary>
    public static MountResult Refused(int error, string reason) => new(null, error, reason);
}

/// <summary>
/// The kernel's table of file-system types (SPIN's file-system name service): a file-system extension installs a
/// handler on <see cref="Mount"/> guarded by its type name, and whoever mounts (the command line, the personality's
/// mount(2)) raises it. No handler for the type: -ENODEV.
/// </summary>
public interface IFileSystemTypes
{
    /// <summary>Mounts the disk of the request as its type; the answer of the type's handler.</summary>
    Event<MountRequest, MountResult> Mount { get; }
}
