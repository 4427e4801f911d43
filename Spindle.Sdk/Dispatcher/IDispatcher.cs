using System.Linq.Expressions;

namespace Spindle.Sdk.Dispatcher;

/// <summary>
/// The dispatcher as an extension sees it: every call acts on behalf of the caller's own domain, which
/// is charged for its handlers and loses them when it is destroyed.
/// </summary>
/// <remarks>
/// Guards are side-effect-free predicates given as expression trees: they may read the argument, its
/// fields and auto-properties, constants and captured variables (read once, at install), and use
/// operators; calls are limited to a small allowlist (string equality, Math.Min/Max/Abs). A guard that
/// tests a field for equality with a constant (<c>a =&gt; a.Number == 39</c>, possibly ANDed with other
/// tests) is indexed: thousands of such handlers cost what one costs.
/// Failures throw <see cref="DispatchException"/> with the reason.
/// </remarks>
public interface IDispatcher
{
    /// <summary>
    /// Declares an event whose intrinsic handler is <paramref name="intrinsic"/> and whose authorizer,
    /// result handler and default handler come from <paramref name="options"/>.
    /// <paramref name="intrinsicBinding"/> receives the intrinsic handler's binding (uninstall it to let
    /// other handlers take over).
    /// </summary>
    Event<TArg, TResult> Declare<TArg, TResult>(string name, Func<TArg, TResult> intrinsic,
        out IBinding intrinsicBinding, EventOptions<TArg, TResult>? options = null);

    /// <summary>Installs <paramref name="handler"/> on <paramref name="ev"/>, guarded by <paramref name="guard"/> (null: always).</summary>
    IBinding Install<TArg, TResult>(Event<TArg, TResult> ev, Func<TArg, TResult> handler,
        Expression<Func<TArg, bool>>? guard = null, InstallOptions options = default);

    /// <summary>Installs a handler that receives <paramref name="closure"/> with every argument.</summary>
    IBinding Install<TArg, TResult, TClosure>(Event<TArg, TResult> ev, Func<TClosure, TArg, TResult> handler,
        TClosure closure, Expression<Func<TArg, bool>>? guard = null, InstallOptions options = default);
}
