using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Strand;

/// <summary>The IStrandService handed to one domain: forwards to the scheduler, charging strands and policies to that domain.</summary>
internal sealed class StrandService(Scheduler scheduler, IHandlerOwner owner) : IStrandService
{
    public long Now => scheduler.Clock.Now;
    public StrandHandle? Current => scheduler.Current;
    public string PolicyName => scheduler.Policy.Name;
    public Event<StrandTransition, bool> Block => scheduler.Block;
    public Event<StrandTransition, bool> Unblock => scheduler.Unblock;
    public Event<StrandTransition, bool> Checkpoint => scheduler.Checkpoint;
    public Event<StrandTransition, bool> Resume => scheduler.Resume;

    public StrandHandle SpawnKernel(string name, int priority, KernelBody body) => scheduler.SpawnKernel(owner, name, priority, body);
    public StrandHandle SpawnUser(string name, int priority, UserSlice slice) => scheduler.SpawnUser(owner, name, priority, slice);
    public StrandSlot<T> CreateSlot<T>(string name) where T : class => StrandSlots.Create<T>(owner.Name);
    public IWaitQueue CreateWaitQueue(string name) => scheduler.CreateWaitQueue(name);
    public SyscallContinuation CreateContinuation(string name, SyscallResume body) => Bind(owner, name, body);
    public StrandAwaitable Yield(StrandHandle self) => scheduler.Yield(self);
    public StrandAwaitable Sleep(StrandHandle self, long nanoseconds) => scheduler.Sleep(self, nanoseconds);
    public StrandAwaitable Join(StrandHandle self, StrandHandle other) => scheduler.Join(self, other);
    public IPolicyBinding InstallPolicy(ISchedulerPolicy policy) => scheduler.InstallPolicy(owner, policy);

    /// <summary>A continuation of <paramref name="owner"/>'s; throws <see cref="StrandException"/> for a missing name or body.</summary>
    internal static BoundContinuation Bind(IHandlerOwner owner, string name, SyscallResume body)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new StrandException("a continuation needs a name");
        return new BoundContinuation(owner, name, body ?? throw new StrandException($"continuation {name}: the body is null"));
    }
}
