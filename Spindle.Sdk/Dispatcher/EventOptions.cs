using System.Linq.Expressions;

namespace Spindle.Sdk.Dispatcher;

/// <summary>What the declaring module supplies besides the intrinsic handler.</summary>
public sealed class EventOptions<TArg, TResult>
{
    /// <summary>Decides each install on the event; null accepts every install unchanged.</summary>
    public Authorizer<TArg>? Authorizer { get; init; }

    /// <summary>
    /// The result handler: folds the results of the handlers that fired, in order
    /// (<c>acc = first; acc = Combine(acc, next)</c>). Null means the last handler's result wins.
    /// </summary>
    public Func<TResult, TResult, TResult>? Combine { get; init; }

    /// <summary>The default handler: runs when no handler fired. Null means the raise returns default(TResult).</summary>
    public Func<TArg, TResult>? Default { get; init; }
}

/// <summary>The declaring module's decision on one install request.</summary>
public delegate Authorization<TArg> Authorizer<TArg>(InstallRequest<TArg> request);

/// <summary>An install the authorizer is asked to decide.</summary>
/// <param name="EventName">The event.</param>
/// <param name="Installer">The name of the domain (or kernel module) installing the handler.</param>
/// <param name="Guard">The handler's own guard, or null.</param>
/// <param name="Options">The install options.</param>
public readonly record struct InstallRequest<TArg>(
    string EventName, string Installer, Expression<Func<TArg, bool>>? Guard, InstallOptions Options);

/// <summary>An authorizer's answer: refuse, accept, or accept with a guard imposed on the handler.</summary>
public readonly record struct Authorization<TArg>
{
    /// <summary>True if the install may proceed.</summary>
    public bool Accepted { get; private init; }

    /// <summary>Why the install was refused (when not accepted).</summary>
    public string? Reason { get; private init; }

    /// <summary>A guard ANDed before the handler's own guard, or null.</summary>
    public Expression<Func<TArg, bool>>? ImposedGuard { get; private init; }

    /// <summary>Accept the install as requested.</summary>
    public static Authorization<TArg> Accept() => new() { Accepted = true };

    /// <summary>Accept, but the handler only runs when <paramref name="guard"/> also holds.</summary>
    public static Authorization<TArg> AcceptWith(Expression<Func<TArg, bool>> guard) =>
        new() { Accepted = true, ImposedGuard = guard ?? throw new ArgumentNullException(nameof(guard)) };

    /// <summary>Refuse the install; <paramref name="reason"/> is reported to the installer.</summary>
    public static Authorization<TArg> Refuse(string reason) => new() { Accepted = false, Reason = reason };
}
