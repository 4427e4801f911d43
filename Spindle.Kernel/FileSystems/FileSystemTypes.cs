using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Vfs;

namespace Spindle.Kernel.FileSystems;

/// <summary>
/// The file-system types (<see cref="IFileSystemTypes"/>): the Mount event, declared with no intrinsic handler and
/// a default that answers -ENODEV naming the type. Handlers are installed by file-system extensions and run
/// under their meter; one that faults yields the failed default of <see cref="MountResult"/>. CPU's thread.
/// </summary>
public sealed class FileSystemTypes : IFileSystemTypes
{
    private static readonly KernelOwner Owner = new("file-system-types");

    /// <summary>Declares the Mount event on <paramref name="dispatcher"/>.</summary>
    public FileSystemTypes(Dispatcher.Dispatcher dispatcher)
    {
        Mount = dispatcher.Declare(Owner, "Vfs.Mount", Unknown, out var intrinsic, new EventOptions<MountRequest, MountResult> { Default = Unknown });
        intrinsic.Uninstall();
    }

    /// <inheritdoc/>
    public Event<MountRequest, MountResult> Mount { get; }

    /// <summary>Raises <see cref="Mount"/> and turns a faulted handler's empty answer into -EIO with a reason.</summary>
    public MountResult MountDisk(MountRequest request)
    {
        var result = Mount.Raise(request);
        if (result.FileSystem == null && result.Error == 0) return MountResult.Refused(-Errno.EIO, $"the {request.Type} file system faulted while mounting");
        return result;
    }

    private static MountResult Unknown(MountRequest r) => MountResult.Refused(-Errno.ENODEV, $"unknown file system type '{r.Type}'");
}
