using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Io;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Strand;

// A SyscallContinuation bound to the domain that made it (IStrandService.CreateContinuation). Contract: Resume
// is called by the user strand's slice on the CPU's thread; a metered owner's body runs under Containment with
// the owner's fuel and allocation budget (a fault or exhausted meter is charged to the owner and the call answers
// -EIO), a trusted owner's body is called directly. Nothing is allocated per resume: the (strand, reason) pair
// travels as a struct through a delegate made once here.
internal sealed class BoundContinuation : SyscallContinuation
{
    private readonly IHandlerOwner _owner;
    private readonly SyscallResume _body;
    private readonly Func<(IUserStrand Strand, WakeReason Reason), long> _call;
    private bool _revoked;

    public BoundContinuation(IHandlerOwner owner, string name, SyscallResume body) : base(name)
    {
        _owner = owner;
        _body = body;
        _call = a => _body(a.Strand, a.Reason);
    }

    /// <summary>The domain was destroyed: the body's code is gone, so the call answers -EIO from now on.</summary>
    public void Revoke() => _revoked = true;

    internal override long Resume(IUserStrand strand, WakeReason reason)
    {
        if (_revoked) return -Errno.EIO;
        long fuel = _owner.Fuel;
        if (fuel == 0) return _body(strand, reason);
        return Containment.TryInvoke(_call, (strand, reason), _owner, fuel, _owner.AllocationBudget, out long result) ? result : -Errno.EIO;
    }
}
