namespace Spindle.Sdk.Dispatcher;

/// <summary>A declaration or install the dispatcher would not perform; the message says why.</summary>
public class DispatchException : Exception
{
    /// <summary>Creates the exception with its reason.</summary>
    public DispatchException(string message) : base(message) { }
}

/// <summary>The event's authorizer refused the install.</summary>
public sealed class InstallRefusedException : DispatchException
{
    /// <summary>Creates the exception with the authorizer's reason.</summary>
    public InstallRefusedException(string message) : base(message) { }
}

/// <summary>A guard is not a side-effect-free predicate the dispatcher accepts.</summary>
public sealed class GuardRejectedException : DispatchException
{
    /// <summary>Creates the exception naming the offending part of the guard.</summary>
    public GuardRejectedException(string message) : base(message) { }
}
