namespace Spindle.Sdk.Memory;

/// <summary>Access rights an extension may ask for on user pages.</summary>
[Flags]
public enum Protection : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
}
