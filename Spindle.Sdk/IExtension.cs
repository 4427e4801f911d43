using System.Diagnostics.CodeAnalysis;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk;

/// <summary>
/// The entry point of an extension. When its domain is initialized, the kernel creates every
/// public non-abstract class implementing this interface (parameterless constructor) and calls
/// <see cref="Initialize"/>, metered like any other call into the extension.
/// </summary>
public interface IExtension
{
    /// <summary>Links the extension into the running kernel: import services, export its own, install handlers.</summary>
    void Initialize(IExtensionContext context);
}

/// <summary>What an extension sees of its own domain.</summary>
public interface IExtensionContext
{
    /// <summary>The domain's name.</summary>
    string Name { get; }

    /// <summary>The service of type <typeparamref name="T"/> from a domain this one was linked against; throws <see cref="ServiceNotGrantedException"/> if none was granted.</summary>
    T Import<T>() where T : class;

    /// <summary>Like <see cref="Import{T}"/>, but returns false instead of throwing.</summary>
    bool TryImport<T>([MaybeNullWhen(false)] out T service) where T : class;

    /// <summary>The dispatcher acting for this domain: handlers installed through it are charged to the domain and uninstalled when it is destroyed.</summary>
    IDispatcher Dispatcher { get; }

    /// <summary>Offers <paramref name="service"/> as this domain's implementation of <typeparamref name="T"/> to domains linked against it.</summary>
    void Export<T>(T service) where T : class;
}

/// <summary>The domain asked for a service it was not granted.</summary>
public sealed class ServiceNotGrantedException : Exception
{
    /// <summary>Creates the error naming the domain and the service type.</summary>
    public ServiceNotGrantedException(string domain, Type service)
        : base($"domain '{domain}' was not granted a service of type {service.FullName}") { }
}
