using System.Runtime.CompilerServices;

namespace Spindle.Sdk.Dispatcher;

/// <summary>
/// A typed event: a procedure whose callers raise it and whose handlers are installed through an
/// <see cref="IDispatcher"/>. Raising calls the dispatch routine the kernel compiled for the current
/// handler set; with only the intrinsic handler installed that routine is the intrinsic handler itself.
/// Only the kernel creates events (see <see cref="IDispatcher.Declare{TArg, TResult}"/>).
/// </summary>
/// <typeparam name="TArg">The argument handlers and guards receive (a struct for hot events).</typeparam>
/// <typeparam name="TResult">The result the raise returns.</typeparam>
public sealed class Event<TArg, TResult>
{
    // The compiled dispatch routine. Written only by the kernel (Volatile.Write), read on every raise.
    internal Func<TArg, TResult> dispatch;

    /// <summary>The event's name, for diagnostics.</summary>
    public string Name { get; }

    /// <summary>The kernel's handler table for this event; opaque here.</summary>
    internal object? Table;

    internal Event(string name, Func<TArg, TResult> initial)
    {
        Name = name;
        dispatch = initial;
    }

    /// <summary>
    /// Raises the event: runs every installed handler whose guard accepts <paramref name="arg"/>, in order,
    /// and returns their (combined) result, or the default handler's result when none fired.
    /// No locks and no allocation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TResult Raise(TArg arg) => dispatch(arg);

    /// <summary>Kernel: publishes a new dispatch routine; raises already under way finish on the old one.</summary>
    internal void Publish(Func<TArg, TResult> routine) => Volatile.Write(ref dispatch, routine);

    /// <summary>Kernel: the routine raises currently call.</summary>
    internal Func<TArg, TResult> Routine => Volatile.Read(ref dispatch);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
