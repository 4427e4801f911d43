using System.Reflection;

namespace Spindle.Kernel.Domain;

/// <summary>
/// Describes a fault raised by extension code using kernel data only. An exception thrown by an extension is
/// an extension-controlled object: its <c>Message</c>, <c>ToString</c>, <c>Data</c> or <c>StackTrace</c> may be
/// overridden to throw, loop or allocate, and nothing the kernel calls on it is metered. So the kernel reads
/// the runtime type's name (metadata, not extension code) and reads the message only when the getter that
/// would run is one of the base library's that compose nothing but strings (<see cref="Exception.Message"/>,
/// <see cref="ArgumentException.Message"/>, <see cref="ObjectDisposedException.Message"/>, <see cref="TypeLoadException.Message"/>): never an
/// extension's override, never one that formats other objects (ArgumentOutOfRangeException's ActualValue,
/// AggregateException's inner exceptions). Both are cut to <see cref="MaxLength"/> characters.
/// Never throws and never runs extension code.
/// </summary>
internal static class FaultText
{
    /// <summary>Longest name or message kept in a description.</summary>
    public const int MaxLength = 240;

    private static readonly Type[] PlainMessageGetters = [typeof(Exception), typeof(ArgumentException), typeof(ObjectDisposedException), typeof(TypeLoadException)];

    /// <summary>"Type: message", or "Type" alone when its message cannot be read safely.</summary>
    public static string Describe(Exception? fault)
    {
        if (fault is null) return "unknown fault";
        try
        {
            fault = MeterCause(fault);
            Type type = fault.GetType();
            string name = Cut(type.Name);
            return MessageOf(fault, type) is { } message ? $"{name}: {Cut(message)}" : $"{name} (its message is the extension's own code and was not read)";
        }
        catch (Exception)
        {
            return "a fault that could not be described";
        }
    }

    // The meter's abort if the fault wraps one (the base library rewraps what a callback throws: Array.Sort's
    // "Failed to compare two elements"), else the fault itself. InnerException is a plain field read.
    private static Exception MeterCause(Exception fault)
    {
        var e = fault;
        for (int depth = 0; depth < 16 && e is not null; depth++, e = e.InnerException)
            if (e is Spindle.Sdk.Runtime.MeterExhaustedException) return e;
        return fault;
    }

    // The message, if the getter that would run is a plain base-library one.
    private static string? MessageOf(Exception fault, Type type)
    {
        var getter = type.GetProperty(nameof(Exception.Message), BindingFlags.Public | BindingFlags.Instance, null, typeof(string), [], null)?.GetMethod;
        return getter is not null && Array.IndexOf(PlainMessageGetters, getter.DeclaringType) >= 0 ? fault.Message : null;
    }

    /// <summary><paramref name="text"/>, cut to <see cref="MaxLength"/> characters: extension-supplied text the kernel keeps or prints.</summary>
    public static string Cut(string text) => text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "...");
}
