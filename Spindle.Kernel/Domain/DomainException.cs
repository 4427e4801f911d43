namespace Spindle.Kernel.Domain;

/// <summary>A domain operation was refused or failed; the message names the domain and the reason.</summary>
public sealed class DomainException : Exception
{
    /// <summary>Creates the error with its reason.</summary>
    public DomainException(string message, Exception? inner = null) : base(message, inner) { }
}
