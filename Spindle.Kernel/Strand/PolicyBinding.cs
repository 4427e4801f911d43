using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Strand;

namespace Spindle.Kernel.Strand;

/// <summary>An installed policy: uninstalling it restores round-robin.</summary>
internal sealed class PolicyBinding(Scheduler scheduler, ISchedulerPolicy policy, IHandlerOwner installer) : IPolicyBinding
{
    public ISchedulerPolicy Policy { get; } = policy;

    public IHandlerOwner Installer { get; } = installer;

    public bool Installed { get; set; } = true;

    /// <summary>The fault that got the policy uninstalled, if any.</summary>
    public Exception? Fault { get; set; }

    public bool Uninstall() => scheduler.Uninstall(this);
}
