namespace Spindle.Sdk.Strand;

/// <summary>A strand operation the scheduler would not perform; the message says why.</summary>
public class StrandException : Exception
{
    /// <summary>Creates the exception with its reason.</summary>
    public StrandException(string message) : base(message) { }
}

/// <summary>The scheduler's authorizer refused to install a policy.</summary>
public sealed class PolicyRefusedException : StrandException
{
    /// <summary>Creates the exception with the authorizer's reason.</summary>
    public PolicyRefusedException(string message) : base(message) { }
}
