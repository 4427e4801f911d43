using System.Runtime.CompilerServices;
using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Strand;

/// <summary>Decides whether <paramref name="installer"/> may make <paramref name="policy"/> the global policy; gives the reason when not.</summary>
public delegate bool PolicyAuthorizer(IHandlerOwner installer, ISchedulerPolicy policy, out string reason);

// The scheduler's side of the policy: every call into the installed policy, installing and uninstalling
// it, and falling back to round-robin when it misbehaves.
public sealed partial class Scheduler
{
    private readonly PolicyAuthorizer _authorizer;
    private readonly RoundRobinPolicy _roundRobin;
    private ISchedulerPolicy _policy;
    private PolicyBinding? _binding;     // the installed non-default policy, or null under round-robin

    /// <summary>The global policy.</summary>
    public ISchedulerPolicy Policy => _policy;

    /// <summary>Times an installed policy misbehaved and was replaced by round-robin.</summary>
    public int PolicyFaults { get; private set; }

    /// <summary>
    /// Makes <paramref name="policy"/> the global policy for <paramref name="installer"/> if the authorizer
    /// agrees: every live strand is admitted to it and the ready ones are queued in the order the old
    /// policy would have run them. Throws PolicyRefusedException if refused, StrandException if the
    /// policy faults while taking over (round-robin stays).
    /// </summary>
    public IPolicyBinding InstallPolicy(IHandlerOwner installer, ISchedulerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(installer);
        if (policy == null) throw new StrandException("InstallPolicy: the policy is null");
        CheckThread("InstallPolicy");
        if (!_authorizer(installer, policy, out var reason))
            throw new PolicyRefusedException($"InstallPolicy: {installer.Name} may not install {policy.Name}: {reason}");
        var binding = new PolicyBinding(this, policy, installer);
        if (_binding != null) _binding.Installed = false;
        _binding = binding;
        if (!SwapTo(policy)) throw new StrandException($"InstallPolicy: {policy.Name} faulted while taking over: {Domain.FaultText.Describe(binding.Fault)}");
        return binding;
    }

    // Binding: uninstalls b's policy if it is still the global one; round-robin takes over.
    internal bool Uninstall(PolicyBinding b)
    {
        CheckThread("Uninstall");
        if (_binding != b) return false;
        b.Installed = false;
        _binding = null;
        SwapTo(_roundRobin);
        return true;
    }

    // Default authorizer: only trusted (unmetered) domains, the kernel's own, may replace the policy.
    private static bool PrivilegedOnly(IHandlerOwner installer, ISchedulerPolicy policy, out string reason)
    {
        reason = installer.Fuel == 0 ? "" : "only a privileged domain may replace the global scheduling policy";
        return installer.Fuel == 0;
    }

    // Moves every live strand from the current policy to next; false if next faulted (round-robin took over).
    private bool SwapTo(ISchedulerPolicy next)
    {
        var order = DrainReady(_policy);
        foreach (var s in _live) TryRetire(_policy, s);
        _policy = next;
        try
        {
            foreach (var s in _live) next.Admit(s);
            foreach (var s in order) next.Enqueue(s, EnqueueReason.New);
            return true;
        }
        catch (Exception e)
        {
            PolicyFault(e);
            return false;
        }
    }

    // The ready strands in the order policy would run them (live order if it cannot say).
    private List<StrandControl> DrainReady(ISchedulerPolicy policy)
    {
        var order = new List<StrandControl>(_ready);
        try
        {
            while (order.Count < _ready && policy.PickNext() is StrandControl s && s.Scheduler == this && s.State == StrandState.Ready && !order.Contains(s))
                order.Add(s);
        }
        catch (Exception) { /* the outgoing policy's faults only cost the order */ }
        if (order.Count != _ready) order = _live.FindAll(s => s.State == StrandState.Ready);
        return order;
    }

    // The policy misbehaved: charge its installer, uninstall it, rebuild round-robin from the live strands.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PolicyFault(Exception fault)
    {
        if (_policy == _roundRobin) throw new InvalidOperationException("round-robin policy fault", fault);
        PolicyFaults++;
        var faulted = _policy;
        if (_binding != null)
        {
            _binding.Installed = false;
            _binding.Fault = fault;
            _binding.Installer.ChargeFault(fault);
            _binding = null;
        }
        foreach (var s in _live) TryRetire(faulted, s);
        _policy = _roundRobin;
        _roundRobin.Clear();
        _ready = 0;
        foreach (var s in _live)
            if (s.State == StrandState.Ready) { _roundRobin.Enqueue(s, EnqueueReason.New); _ready++; }
    }

    private static void TryRetire(ISchedulerPolicy policy, StrandControl s)
    {
        try { policy.Retire(s); }
        catch (Exception) { /* a policy being dropped may fail to forget; it is dropped anyway */ }
    }

    // s is Ready and not queued: queue it.
    private void MakeReady(StrandControl s, EnqueueReason reason)
    {
        _ready++;
        try { _policy.Enqueue(s, reason); }
        catch (Exception e) { PolicyFault(e); }
    }

    // Takes the next strand from the policy; null if none is ready. A policy that hands back anything
    // but a ready strand of this scheduler, or loses one, is replaced and the pick retried.
    private StrandControl? PickNext()
    {
        if (_ready == 0) return null;
        StrandHandle? h;
        try { h = _policy.PickNext(); }
        catch (Exception e) { PolicyFault(e); return PickNext(); }
        if (h is StrandControl s && s.Scheduler == this && s.State == StrandState.Ready)
        {
            _ready--;
            return s;
        }
        return BadPick(h);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private StrandControl? BadPick(StrandHandle? h)
    {
        PolicyFault(new StrandException(h == null
            ? $"policy {_policy.Name} lost {_ready} ready strand(s)"
            : $"policy {_policy.Name} picked {h}, which is not a ready strand of this scheduler"));
        return PickNext();
    }

    private long SliceFor(StrandControl s)
    {
        long slice;
        try { slice = _policy.SliceFor(s); }
        catch (Exception e) { PolicyFault(e); return _roundRobin.SliceFor(s); }
        if (slice > 0) return slice;
        PolicyFault(new StrandException($"policy {_policy.Name} gave {s} a slice of {slice}"));
        return _roundRobin.SliceFor(s);
    }

    private void Charge(StrandControl s, long used)
    {
        try { _policy.Charge(s, used); }
        catch (Exception e) { PolicyFault(e); }
    }

    private void Admit(StrandControl s)
    {
        try { _policy.Admit(s); }
        catch (Exception e) { PolicyFault(e); }
    }

    private void Retire(StrandControl s)
    {
        try { _policy.Retire(s); }
        catch (Exception e) { PolicyFault(e); }
    }
}
