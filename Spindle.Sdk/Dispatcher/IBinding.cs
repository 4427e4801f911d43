namespace Spindle.Sdk.Dispatcher;

/// <summary>
/// The capability returned by an install: holding it is the right to uninstall the handler, and it
/// names the handler as an anchor for <see cref="InstallOptions.Before"/> and <see cref="InstallOptions.After"/>.
/// </summary>
public interface IBinding
{
    /// <summary>The name of the event the handler is installed on.</summary>
    string EventName { get; }

    /// <summary>True until <see cref="Uninstall"/> succeeds.</summary>
    bool Installed { get; }

    /// <summary>
    /// Removes the handler. Safe at any time, including from inside a handler of the same event: raises
    /// already under way finish with the handler set they started with. Returns false if it was already gone.
    /// </summary>
    bool Uninstall();
}
