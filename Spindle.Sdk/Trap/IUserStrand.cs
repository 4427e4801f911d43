using Spindle.Sdk.Memory;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Translation;

namespace Spindle.Sdk.Trap;

/// <summary>
/// A user strand (a Linux thread) as the personality sees it: the system call it made (number and
/// arguments), its result register, its pc and register file, its memory, and the means to block it,
/// end it, and create new strands from it (fork, clone, execve). The object lives as long as the
/// strand; the personality may keep it (to signal or end a thread) until the strand has exited.
/// Register names follow the RISC-V Linux ABI (number in a7, arguments a0-a5, result in a0).
/// All members are called on the CPU's thread.
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

    /// <summary>Address of the instruction the strand resumes at (during a system call: the one after the ecall).</summary>
    ulong Pc { get; set; }

    /// <summary>Kernel-assigned id of the strand (the Linux tid).</summary>
    int Id { get; }

    /// <summary>The strand's user address space.</summary>
    IUserMemory Memory { get; }

    /// <summary>
    /// The strand's translation context (its address space, shared with its sibling threads): what an extension
    /// guards a fault handler on (<c>f =&gt; f.Context == context</c>) and names in calls to the Translation
    /// service, which acts only on the contexts the extension was granted. Null for a strand the kernel did not
    /// make (a test double).
    /// </summary>
    TranslationContext? Context => null;

    /// <summary>The value <paramref name="slot"/> holds on this strand, or null (none set, or the slot was revoked). Typed: <see cref="StrandSlot{T}.Get"/>.</summary>
    object? GetSlot(StrandSlot slot);

    /// <summary>Sets the value <paramref name="slot"/> holds on this strand; throws <see cref="StrandException"/> if the slot was revoked or the value is not of its type. Typed: <see cref="StrandSlot{T}.Set"/>.</summary>
    void SetSlot(StrandSlot slot, object? value);

    /// <summary>Ends this strand once the handler returns, exited with <paramref name="status"/> (its meaning is the personality's).</summary>
    void Exit(int status);

    /// <summary>Ends this strand once the handler returns, killed with <paramref name="code"/> (its meaning is the caller's: Linux passes the signal).</summary>
    void Kill(int code);

    /// <summary>True once <see cref="Exit"/> or <see cref="Kill"/> was called (or the kernel ended the strand: a fault nobody handled, a kernel error).</summary>
    bool HasExited { get; }

    /// <summary>How the strand ended (<see cref="StrandEndKind.Running"/> until it has).</summary>
    StrandEnd End { get; }

    /// <summary>Discards decoded instructions (after the program wrote code).</summary>
    void FlushInstructionCache();

    // ---- Waiting: two models (docs/WAITING.md) ----
    // Restart (Block): the call is run again from the start when the strand wakes; suits waits whose state the
    // handler can find again (and signal delivery with SA_RESTART). Continuation (Suspend): the call waits where
    // it is and a continuation finishes it; suits waits on a device (a disk read, a packet), never re-entered.

    /// <summary>
    /// Blocks the calling strand on <paramref name="queue"/> once the handler returns, WITHOUT advancing pc
    /// past the ecall: when the strand is woken (WakeOne/WakeAll on the queue, the deadline passing, or
    /// <see cref="SignalPending"/> becoming true) the same system call runs again from the start, with the
    /// same arguments. <paramref name="queue"/> null waits for the deadline only. deadlineNs &gt;= 0 is an
    /// absolute time on the <see cref="Now"/> clock. The handler must return right after calling it and
    /// must not have changed state that the restarted call would repeat. If a signal is already pending
    /// the strand does not sleep: the call restarts at once (after signal delivery).
    /// </summary>
    void Block(IWaitQueue? queue, long deadlineNs = -1);

    /// <summary>
    /// Suspends the calling strand once the handler returns, WITH pc past the ecall: the call is not run again.
    /// When the strand is woken (WakeOne/WakeAll on <paramref name="queue"/>, <paramref name="deadlineNs"/> passing,
    /// or <see cref="SignalPending"/> becoming true), the kernel runs <paramref name="continuation"/> on the CPU's
    /// thread before the strand's next user instruction, with the registers as at the ecall; its result becomes
    /// a0 (see <see cref="SyscallResume"/> for suspending again and for <see cref="SyscallContinuation.Restart"/>).
    /// If the strand ends (exit, kill) while suspended, the continuation never runs. If a signal is already
    /// pending the strand does not sleep: the continuation runs at once with <see cref="WakeReason.Interrupted"/>.
    /// Also callable from a continuation (Woken or TimedOut) to wait again. <paramref name="queue"/> null waits for
    /// the deadline only; one of the two must be given.
    /// </summary>
    /// <exception cref="StrandException">Neither a queue nor a deadline, or called from a continuation resumed for a signal.</exception>
    void Suspend(IWaitQueue? queue, long deadlineNs, SyscallContinuation continuation);

    /// <summary>True while the strand waits in a suspended call (<see cref="Suspend"/>), until its continuation has run.</summary>
    bool Suspended { get; }

    /// <summary>
    /// Job control's stop: called from a return-to-user handler, makes the strand wait on <paramref name="queue"/>
    /// before it runs another user instruction, whatever <see cref="SignalPending"/> says (a pending signal does not
    /// cut this wait short: the personality wakes the queue to continue or kill the strand; ending it with
    /// <see cref="Exit"/> or <see cref="Kill"/> wakes it too). When woken, the return-to-user event is raised again
    /// if <see cref="SignalPending"/> is set, so a handler that keeps it set while the strand stays stopped can stop
    /// it again. A call the strand was blocked in (<see cref="RestartingSyscall"/>) stays so, and runs again after.
    /// </summary>
    void Stop(IWaitQueue queue);

    /// <summary>Monotonic time in ns, the clock of deadlines.</summary>
    long Now { get; }

    /// <summary>
    /// True when the personality has a signal (or an exit request) for this strand. The personality sets it;
    /// setting it true wakes the strand from <see cref="Block"/>. While it is true the kernel raises the
    /// return-to-user event before the strand next runs user code.
    /// </summary>
    bool SignalPending { get; set; }

    /// <summary>
    /// True while the strand is stopped on an ecall it will run again (it blocked, or was woken from
    /// <see cref="Block"/>): pc is the ecall's address and a0 holds the first argument. Signal delivery
    /// uses it to choose between restarting the call (SA_RESTART) and failing it with -EINTR.
    /// </summary>
    bool RestartingSyscall { get; }

    /// <summary>Gives up the CPU once the handler returns; the strand stays ready (sched_yield).</summary>
    void Yield();

    /// <summary>Marks the pending restart as done: pc moves past the ecall and a0 becomes <paramref name="result"/>.</summary>
    void CompleteRestart(long result);

    // ---- The register file (signal frames, clone) ----

    /// <summary>Integer register x<paramref name="index"/> (0..31; x0 reads 0).</summary>
    ulong GetRegister(int index);

    /// <summary>Sets integer register x<paramref name="index"/> (1..31; x0 is ignored).</summary>
    void SetRegister(int index, ulong value);

    /// <summary>Floating-point register f<paramref name="index"/> as raw bits (0..31).</summary>
    ulong GetFloatRegister(int index);

    /// <summary>Sets floating-point register f<paramref name="index"/> (raw bits).</summary>
    void SetFloatRegister(int index, ulong value);

    /// <summary>The fcsr (frm and fflags).</summary>
    uint Fcsr { get; set; }

    // ---- Creating strands ----

    /// <summary>
    /// Creates a new ready strand whose registers are a copy of this one's (pc past the ecall, a0 = 0),
    /// with a private copy of the address space (<paramref name="shareMemory"/> false: fork) or the same
    /// address space (true: a thread). The caller sets its slots on it before returning from the handler;
    /// it first runs after the handler returns. Null if memory runs out.
    /// </summary>
    IUserStrand? Clone(bool shareMemory);

    /// <summary>
    /// Replaces this strand's address space with a new one holding the ELF program <paramref name="elf"/>
    /// and its initial stack (<paramref name="argv"/>, <paramref name="envp"/>, AT_EXECFN <paramref name="path"/>),
    /// and sets its registers for the program's first instruction. On failure (-ENOEXEC for a file that is not
    /// a loadable RISC-V executable, -ENOMEM) nothing changes. Other strands sharing the old space keep it.
    /// </summary>
    int Exec(System.ReadOnlySpan<byte> elf, string path, string[] argv, string[] envp, out ExecImage image);

    /// <summary>
    /// The interpreter a dynamically linked ELF program <paramref name="elf"/> names (its PT_INTERP, the dynamic loader):
    /// 0 with <paramref name="path"/> null for a static program, 0 with the path, or -ENOEXEC (not a loadable RISC-V
    /// executable, a PT_INTERP that is empty, longer than PATH_MAX or not NUL-terminated) or -EIO (PT_INTERP past the
    /// file's end). The caller reads the interpreter's file and hands it to the other <c>Exec</c>.
    /// </summary>
    int InterpreterOf(System.ReadOnlySpan<byte> elf, out string? path);

    /// <summary>
    /// As <see cref="Exec(System.ReadOnlySpan{byte}, string, string[], string[], out ExecImage)"/>, for a program that
    /// names an interpreter: <paramref name="interpreter"/> is that file's bytes (null: none), loaded beside the program
    /// and run first, with AT_BASE its load address. Also -ELIBBAD (the interpreter is not a loadable RISC-V ELF) and
    /// -EIO (it is shorter than an ELF header).
    /// </summary>
    int Exec(System.ReadOnlySpan<byte> elf, byte[]? interpreter, string path, string[] argv, string[] envp, out ExecImage image);
}

/// <summary>Where execve put a new program: the heap start and the area left for mmap.</summary>
/// <param name="BrkStart">First address of the heap (end of the loaded image).</param>
/// <param name="MapBase">Lowest address for mmap placement.</param>
/// <param name="MapLimit">First address above the mmap area (below the stack).</param>
public readonly record struct ExecImage(ulong BrkStart, ulong MapBase, ulong MapLimit);

/// <summary>The system-call event's handler: takes the calling strand, leaves the result in it.</summary>
public delegate void SyscallHandler(IUserStrand strand);
