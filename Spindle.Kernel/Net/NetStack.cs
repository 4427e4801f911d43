using Spindle.Kernel.Boot;
using Spindle.Kernel.Domain;
using Spindle.Kernel.Extensions;
using Spindle.Machine.Devices;
using Spindle.Sdk.Net;

namespace Spindle.Kernel.Net;

/// <summary>
/// A system's network: the driver of its card (<see cref="NetInterface"/>) and the protocol extensions stacked
/// on it. The kernel names no protocol: the description lists the extensions, bottom first.
/// <para>
/// Contract. <see cref="Start"/> runs at boot on the CPU's thread, after the card is attached. It exports the
/// interface (as <see cref="INetworkInterface"/>) from a kernel domain, then loads each listed extension in
/// order, each resolved against that domain and every extension loaded before it, so a layer imports the
/// service the layer below exported (Ether's <see cref="IEthernet"/>, Ip's <see cref="IIp"/>...). A refused
/// load throws <see cref="BootException"/> after unloading what was loaded.
/// </para>
/// </summary>
public sealed class NetStack : IDisposable
{
    private readonly ExtensionManager _manager;
    private readonly ProtectionDomain _view;
    private readonly List<LoadedExtension> _loaded = [];
    private readonly INetworkDevice _device;

    private NetStack(ExtensionManager manager, NetInterface netInterface, INetworkDevice device)
    {
        _manager = manager;
        Interface = netInterface;
        _device = device;
        _view = manager.Linker.CreateKernelDomain($"net {device.Name} view");
    }

    /// <summary>The card's driver.</summary>
    public NetInterface Interface { get; }

    /// <summary>The protocol extensions, bottom first.</summary>
    public IReadOnlyList<LoadedExtension> Extensions => _loaded;

    /// <summary>Builds the driver of <paramref name="network"/>'s card (already attached) and loads its stack.</summary>
    public static NetStack Start(KernelRoot kernel, ExtensionManager manager, NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(network);
        var netInterface = new NetInterface(network.Device, kernel.Packets, kernel.Dispatcher, network.Address);
        var stack = new NetStack(manager, netInterface, network.Device);
        try
        {
            var exporter = manager.Linker.CreateKernelDomain($"net {network.Device.Name}");
            exporter.Export<INetworkInterface>(netInterface);
            var imports = new List<ProtectionDomain> { exporter };
            foreach (var name in network.Stack)
            {
                string path = Directory.Exists(name) ? name : ExtensionSources.Find(name, out string? missing) ?? throw new BootException($"extension {name}", missing ?? "not found");
                var loaded = manager.Load(path, DomainOptions.Default, [.. imports], out string? error)
                    ?? throw new BootException($"extension {name}", error ?? "not loaded");
                stack._loaded.Add(loaded);
                imports.Add(loaded.Domain);
                manager.Linker.Resolve(stack._view, loaded.Domain);
            }
            return stack;
        }
        catch
        {
            stack.Dispose();
            throw;
        }
    }

    /// <summary>The service of type <typeparamref name="T"/> one of the stack's extensions exported (tests, the bench), or null.</summary>
    public T? Find<T>() where T : class => _view.TryImport<T>(out var service) ? service : null;

    /// <summary>Unloads the stack, top first, and stops the card's backend if it has one to stop.</summary>
    public void Dispose()
    {
        for (int i = _loaded.Count - 1; i >= 0; i--) _manager.Unload(_loaded[i]);
        _loaded.Clear();
        (_device as IDisposable)?.Dispose();
    }
}
