using System.Runtime.CompilerServices;

namespace Spindle.Sdk.Strand;

/// <summary>
/// What a kernel strand awaits: a scheduler operation that already decided the strand's fate (ready,
/// waiting, or done at once). Awaiting it hands the continuation to the scheduler, which resumes it
/// on the CPU's thread; nothing is allocated. The result is false only when a timed wait timed out.
/// </summary>
public readonly struct StrandAwaitable
{
    private readonly StrandHandle? _strand;

    // strand null (default): the operation completed at once (the await does not suspend).
    internal StrandAwaitable(StrandHandle? strand) => _strand = strand;

    /// <summary>Gets the awaiter (compiler pattern).</summary>
    public Awaiter GetAwaiter() => new(_strand);

    /// <summary>The awaiter: stores the continuation in the strand for the scheduler.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly StrandHandle? _strand;

        internal Awaiter(StrandHandle? strand) => _strand = strand;

        /// <summary>True if the operation completed without suspending the strand.</summary>
        public bool IsCompleted => _strand == null;

        /// <summary>True unless a timed wait timed out.</summary>
        public bool GetResult() => _strand == null || !_strand.TimedOut;

        /// <inheritdoc/>
        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        /// <inheritdoc/>
        public void UnsafeOnCompleted(Action continuation) => _strand!.Continuation = continuation;
    }
}
