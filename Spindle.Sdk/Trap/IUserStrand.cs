using Spindle.Sdk.Memory;

namespace Spindle.Sdk.Trap;

/// <summary>
/// The user strand that trapped into the kernel with a system call, as the handler of the
/// system-call event sees it: the call's number and arguments, its result register, its pc,
/// its memory and the means to end it. Valid only during the call; a handler must not keep it.
/// Register names follow the RISC-V Linux ABI (number in a7, arguments a0-a5, result in a0).
/// </summary>
public interface IUserStrand
{
    /// <summary>The system-call number (a7).</summary>
    ulong Number { get; }

    /// <summary>Argument registers a0..a5.</summary>
    ulong Arg0 { get; }
    ulong Arg1 { get; }
    ulong Arg2 { get; }
    ulong Arg3 { get; }
    ulong Arg4 { get; }
    ulong Arg5 { get; }

    /// <summary>The result register (a0), written when the call returns to user mode.</summary>
    long Result { get; set; }

    /// <summary>Address of the instruction the strand resumes at (the one after the ecall).</summary>
    ulong Pc { get; set; }

    /// <summary>Kernel-assigned id of the strand (the Linux tid).</summary>
    int Id { get; }

    /// <summary>The strand's user address space.</summary>
    IUserMemory Memory { get; }

    /// <summary>State the personality attaches to the strand's process; the kernel never looks at it.</summary>
    object? ProcessState { get; set; }

    /// <summary>Ends the strand's process with exit <paramref name="status"/> (0..255) once the handler returns.</summary>
    void Exit(int status);

    /// <summary>Ends the strand's process as killed by <paramref name="signal"/> once the handler returns.</summary>
    void Kill(int signal);

    /// <summary>Discards decoded instructions (after the program wrote code).</summary>
    void FlushInstructionCache();
}

/// <summary>The system-call event's handler: takes the calling strand, leaves the result in it.</summary>
public delegate void SyscallHandler(IUserStrand strand);
