using System.Linq.Expressions;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Dispatcher;

/// <summary>The IDispatcher handed to one owner: forwards to the kernel dispatcher with that owner. Destroying the
/// owner's domain is <see cref="Dispatcher.UninstallAll"/>.</summary>
internal sealed class OwnedDispatcher(Dispatcher kernel, IHandlerOwner owner) : IDispatcher
{
    public Event<TArg, TResult> Declare<TArg, TResult>(string name, Func<TArg, TResult> intrinsic, out IBinding intrinsicBinding,
        EventOptions<TArg, TResult>? options = null)
    {
        var ev = kernel.Declare(owner, name, intrinsic, out var binding, options);
        intrinsicBinding = binding;
        return ev;
    }

    public IBinding Install<TArg, TResult>(Event<TArg, TResult> ev, Func<TArg, TResult> handler,
        Expression<Func<TArg, bool>>? guard = null, InstallOptions options = default) =>
        kernel.Install(owner, ev, handler, guard, options);

    public IBinding Install<TArg, TResult, TClosure>(Event<TArg, TResult> ev, Func<TClosure, TArg, TResult> handler,
        TClosure closure, Expression<Func<TArg, bool>>? guard = null, InstallOptions options = default) =>
        kernel.Install(owner, ev, handler, closure, guard, options);
}
