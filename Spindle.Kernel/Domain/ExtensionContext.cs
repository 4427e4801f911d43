using System.Diagnostics.CodeAnalysis;
using Spindle.Sdk;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Domain;

/// <summary>The <see cref="IExtensionContext"/> handed to an extension's entry points: a window on its own domain.</summary>
internal sealed class ExtensionContext(ProtectionDomain domain, IDispatcher dispatcher) : IExtensionContext
{
    public string Name => domain.Name;

    public IDispatcher Dispatcher => dispatcher;

    public T Import<T>() where T : class =>
        domain.TryImport<T>(out var service) ? service : throw new ServiceNotGrantedException(domain.Name, typeof(T));

    public bool TryImport<T>([MaybeNullWhen(false)] out T service) where T : class => domain.TryImport(out service);

    public void Export<T>(T service) where T : class => domain.Export(service);
}
