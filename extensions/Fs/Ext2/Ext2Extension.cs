using Spindle.Sdk;
using Spindle.Sdk.Block;
using Spindle.Sdk.Time;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Fs.Ext2;

/// <summary>
/// Links ext2 into the kernel: a handler on the file-system types' Mount event, guarded by the type name "ext2",
/// that mounts a disk of the buffer cache (read-only if the request or the disk says so; times from the kernel's
/// clock when it is exported). Without the cache or the types service it links nothing.
/// </summary>
public sealed class Ext2Extension : IExtension
{
    /// <inheritdoc/>
    public void Initialize(IExtensionContext context)
    {
        if (!context.TryImport<IBufferCache>(out var cache) || !context.TryImport<IFileSystemTypes>(out var types)) return;
        context.TryImport<IClock>(out var clock);
        context.Dispatcher.Install(types.Mount, request => Ext2FileSystem.Mount(cache, request.Device, request.ReadOnly, clock),
            request => request.Type == "ext2");
    }
}
