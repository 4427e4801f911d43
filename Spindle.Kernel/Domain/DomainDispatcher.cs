using System.Linq.Expressions;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Domain;

/// <summary>
/// The dispatcher an extension domain is handed: the kernel dispatcher acting for the domain, except that
/// every procedure the domain gives when it declares an event (intrinsic, authorizer, result and default
/// handlers) is called through a cell the domain's destruction empties. Other domains may still hold the
/// event, but once its declarer is destroyed the event is retired: nothing of the dead domain's code is
/// reachable from it (so its load context can unload), installs on it are refused, and a raise gets the
/// results of the handlers others installed, or default.
/// </summary>
internal sealed class DomainDispatcher(IDispatcher inner, ProtectionDomain domain) : IDispatcher
{
    public Event<TArg, TResult> Declare<TArg, TResult>(string name, Func<TArg, TResult> intrinsic, out IBinding intrinsicBinding,
        EventOptions<TArg, TResult>? options = null)
    {
        ArgumentNullException.ThrowIfNull(intrinsic);
        var cells = new Cells<TArg, TResult>(intrinsic, options, name);
        var ev = inner.Declare(name, cells.Intrinsic, out intrinsicBinding, cells.Options);
        domain.Track(cells);
        return ev;
    }

    public IBinding Install<TArg, TResult>(Event<TArg, TResult> ev, Func<TArg, TResult> handler,
        Expression<Func<TArg, bool>>? guard = null, InstallOptions options = default) =>
        inner.Install(ev, handler, guard, options);

    public IBinding Install<TArg, TResult, TClosure>(Event<TArg, TResult> ev, Func<TClosure, TArg, TResult> handler,
        TClosure closure, Expression<Func<TArg, bool>>? guard = null, InstallOptions options = default) =>
        inner.Install(ev, handler, closure, guard, options);

    // The declarer's procedures for one event, each behind a field that Dispose (the domain's destruction) clears.
    private sealed class Cells<TArg, TResult> : IDisposable
    {
        private readonly string _name;
        private Func<TArg, TResult>? _intrinsic;
        private Authorizer<TArg>? _authorizer;
        private Func<TResult, TResult, TResult>? _combine;
        private Func<TArg, TResult>? _default;

        public Cells(Func<TArg, TResult> intrinsic, EventOptions<TArg, TResult>? options, string name)
        {
            _name = name;
            _intrinsic = intrinsic;
            _authorizer = options?.Authorizer;
            _combine = options?.Combine;
            _default = options?.Default;
            // A retired event refuses installs even if its declarer imposed no authorizer.
            Options = new EventOptions<TArg, TResult>
            {
                Authorizer = Authorize,
                Combine = _combine is null ? null : Combine,
                Default = _default is null ? null : Default,
            };
        }

        public EventOptions<TArg, TResult> Options { get; }

        public TResult Intrinsic(TArg arg) => _intrinsic is { } f ? f(arg) : default!;

        private Authorization<TArg> Authorize(InstallRequest<TArg> request)
        {
            if (Volatile.Read(ref _intrinsic) is null) return Authorization<TArg>.Refuse($"event {_name} is retired: its declarer was destroyed");
            return _authorizer is { } a ? a(request) : Authorization<TArg>.Accept();
        }

        private TResult Combine(TResult acc, TResult next) => _combine is { } c ? c(acc, next) : acc;

        private TResult Default(TArg arg) => _default is { } d ? d(arg) : default!;

        // Retires the event: drops every reference into the declarer's code.
        public void Dispose()
        {
            Volatile.Write(ref _intrinsic, null);
            _authorizer = null;
            _combine = null;
            _default = null;
        }
    }
}
