using Spindle.Kernel.Domain;
using Spindle.Kernel.Strand;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Extensions;

/// <summary>
/// The strand service as one extension domain imports it: the scheduler's facade for that domain, plus
/// bookkeeping so that a scheduling policy the domain installs is uninstalled when the domain is
/// destroyed (round-robin takes over again) instead of running code that no longer exists.
/// </summary>
internal sealed class DomainStrandService(IStrandService inner, ProtectionDomain domain) : IStrandService
{
    public long Now => inner.Now;
    public StrandHandle? Current => inner.Current;
    public string PolicyName => inner.PolicyName;
    public Event<StrandTransition, bool> Block => inner.Block;
    public Event<StrandTransition, bool> Unblock => inner.Unblock;
    public Event<StrandTransition, bool> Checkpoint => inner.Checkpoint;
    public Event<StrandTransition, bool> Resume => inner.Resume;
    public StrandHandle SpawnKernel(string name, int priority, KernelBody body) => inner.SpawnKernel(name, priority, body);
    public StrandHandle SpawnUser(string name, int priority, UserSlice slice) => inner.SpawnUser(name, priority, slice);
    public IWaitQueue CreateWaitQueue(string name) => inner.CreateWaitQueue(name);

    // A continuation charged to the domain, revoked (it answers -EIO, its code no longer runs) when the domain is destroyed.
    public SyscallContinuation CreateContinuation(string name, SyscallResume body)
    {
        var continuation = StrandService.Bind(domain, name, body);
        domain.Track(new ContinuationRevocation(continuation));
        return continuation;
    }

    private sealed class ContinuationRevocation(BoundContinuation continuation) : IDisposable
    {
        public void Dispose() => continuation.Revoke();
    }

    /// <summary>Most strand slots one domain may hold: every strand carries an entry per slot index in use.</summary>
    public const int MaxSlots = 4;

    private int _slots;

    // A slot of this domain's, revoked when the domain is destroyed.
    public StrandSlot<T> CreateSlot<T>(string name) where T : class
    {
        if (Interlocked.Increment(ref _slots) > MaxSlots)
            throw new StrandException($"CreateSlot: domain {domain.Name} already holds {MaxSlots} strand slots");
        var slot = StrandSlots.Create<T>(domain.Name);
        domain.Track(new SlotRevocation(slot));
        return slot;
    }

    private sealed class SlotRevocation(StrandSlot slot) : IDisposable
    {
        public void Dispose() => StrandSlots.Revoke(slot);
    }
    public StrandAwaitable Yield(StrandHandle self) => inner.Yield(self);
    public StrandAwaitable Sleep(StrandHandle self, long nanoseconds) => inner.Sleep(self, nanoseconds);
    public StrandAwaitable Join(StrandHandle self, StrandHandle other) => inner.Join(self, other);

    // Installs through the scheduler (which asks its authorizer), then ties the binding to the domain.
    public IPolicyBinding InstallPolicy(ISchedulerPolicy policy)
    {
        var binding = inner.InstallPolicy(policy);
        domain.Track(new PolicyRelease(binding));
        return binding;
    }

    // Uninstalls the policy when the domain is destroyed (a no-op if it was replaced or uninstalled since).
    private sealed class PolicyRelease(IPolicyBinding binding) : IDisposable
    {
        public void Dispose() => binding.Uninstall();
    }
}
