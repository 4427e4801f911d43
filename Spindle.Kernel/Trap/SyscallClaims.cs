using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Trap;

namespace Spindle.Kernel.Trap;

/// <summary>
/// The kernel's registry of Spindle's own system-call numbers (<see cref="SpindleCalls.First"/> and up): who
/// answers each. An owner (a kernel component's <see cref="KernelOwner"/>, or an extension's domain through
/// <see cref="Extensions.DomainSyscallClaims"/>) claims a number; a claim of a number another owner holds is
/// refused with a message naming the holder; <see cref="ReleaseAll"/> gives an owner's numbers back (a domain's
/// when it is destroyed). Numbers below <see cref="SpindleCalls.First"/> are the personality's and cannot be
/// claimed. Thread-safe (one lock); claims happen at load and unload, never on the system-call path.
/// </summary>
public sealed class SyscallClaims
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (IHandlerOwner Owner, string Name)> _claims = [];

    /// <summary>
    /// Claims <paramref name="number"/> for <paramref name="owner"/> as the call <paramref name="name"/>. Returns
    /// true if the claim is new, false if <paramref name="owner"/> already held it (nothing changes). Throws
    /// <see cref="SyscallClaimException"/> if another owner holds it, the number is below
    /// <see cref="SpindleCalls.First"/>, or the name is empty.
    /// </summary>
    public bool Claim(IHandlerOwner owner, long number, string name)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (string.IsNullOrEmpty(name)) throw new SyscallClaimException($"system call {number}: a claim needs the call's name");
        if (number < SpindleCalls.First)
            throw new SyscallClaimException($"system call {number} ({name}): numbers below {SpindleCalls.First} belong to the personality");
        lock (_lock)
        {
            if (_claims.TryGetValue(number, out var held))
            {
                if (ReferenceEquals(held.Owner, owner)) return false;
                throw new SyscallClaimException(
                    $"system call {number} ({name}) refused to {owner.Name}: {Describe(held)} holds it");
            }
            _claims.Add(number, (owner, name));
            return true;
        }
    }

    /// <summary>Who holds <paramref name="number"/>, as "owner (call name)"; null if nobody does.</summary>
    public string? HolderOf(long number)
    {
        lock (_lock) return _claims.TryGetValue(number, out var held) ? Describe(held) : null;
    }

    /// <summary>Releases every number <paramref name="owner"/> holds; returns how many.</summary>
    public int ReleaseAll(IHandlerOwner owner)
    {
        lock (_lock)
        {
            var mine = _claims.Where(c => ReferenceEquals(c.Value.Owner, owner)).Select(c => c.Key).ToList();
            foreach (long number in mine) _claims.Remove(number);
            return mine.Count;
        }
    }

    /// <summary>Every claim, in number order, as (number, owner's name, call name): for diagnostics and docs.</summary>
    public IReadOnlyList<(long Number, string Owner, string Name)> Snapshot()
    {
        lock (_lock) return _claims.OrderBy(c => c.Key).Select(c => (c.Key, c.Value.Owner.Name, c.Value.Name)).ToList();
    }

    private static string Describe((IHandlerOwner Owner, string Name) claim) => $"{claim.Owner.Name} ({claim.Name})";
}
