using System;
using System.Buffers.Binary;
using Spindle.Extensions.Linux.Abi;
using Spindle.Extensions.Linux.Process;
using Spindle.Sdk.Memory;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux.Signals;

/// <summary>
/// The riscv64 Linux signal frame (arch/riscv/kernel/signal.c): struct rt_sigframe { siginfo_t info; ucontext_t uc; }
/// with uc = { uc_flags, uc_link, stack_t uc_stack, sigset_t uc_sigmask, 120 reserved bytes, mcontext (16-aligned):
/// gregs[32] (pc, x1..x31), then the fp state: f[32] and fcsr inside a 528-byte union }. Also the sigreturn trampoline
/// (riscv has no sa_restorer: the kernel points ra at a vdso stub; here at a page the personality maps).
/// </summary>
internal static class SignalFrame
{
    public const int SigInfoSize = 128;
    public const int UcStack = 16, UcSigmask = 40, UcMcontext = 176, McFp = 256, McFcsr = 512, McSize = 784;
    public const int UcontextSize = UcMcontext + McSize;
    public const int FrameSize = SigInfoSize + UcontextSize;

    /// <summary>Where the sigreturn trampoline page lives: the page right above the initial stack.</summary>
    public const ulong TrampolineVa = 0x3f_ffff_f000;

    // li a7, 139 (rt_sigreturn); ecall
    private static readonly uint[] Trampoline = [0x08b00893, 0x00000073];

    /// <summary>Writes siginfo_t for signal <paramref name="signal"/> into <paramref name="b"/> (SigInfoSize bytes).</summary>
    public static void WriteSigInfo(Span<byte> b, int signal, in SignalInfo info)
    {
        b[..SigInfoSize].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(b, signal);
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], info.Code);
        switch (signal)
        {
            case LinuxAbi.SIGSEGV or LinuxAbi.SIGBUS or LinuxAbi.SIGILL or LinuxAbi.SIGFPE or LinuxAbi.SIGTRAP when info.Pid == 0:
                BinaryPrimitives.WriteUInt64LittleEndian(b[16..], info.Address);
                break;
            case LinuxAbi.SIGCHLD:
                BinaryPrimitives.WriteInt32LittleEndian(b[16..], info.Pid);
                BinaryPrimitives.WriteUInt32LittleEndian(b[20..], info.Uid);
                BinaryPrimitives.WriteInt32LittleEndian(b[24..], info.Status);
                break;
            default:
                BinaryPrimitives.WriteInt32LittleEndian(b[16..], info.Pid);
                BinaryPrimitives.WriteUInt32LittleEndian(b[20..], info.Uid);
                break;
        }
    }

    /// <summary>
    /// Pushes a frame for <paramref name="signal"/> on the strand's stack (or its alternate stack) and points the
    /// registers at <paramref name="handler"/>: a0 = signal, a1 = &amp;info, a2 = &amp;uc, ra = the trampoline.
    /// <paramref name="oldMask"/> is saved as uc_sigmask. False if the frame or trampoline cannot be written.
    /// </summary>
    public static bool Push(IUserStrand s, LinuxThread t, int signal, in SignalInfo info, ulong handler, bool onStack, ulong oldMask)
    {
        if (!EnsureTrampoline(s.Memory)) return false;
        ulong sp = s.GetRegister(2);
        bool onAlt = OnAltStack(t, sp);
        if (onStack && t.AltStackFlags != LinuxAbi.SS_DISABLE && !onAlt) sp = t.AltStackBase + t.AltStackSize;
        ulong frame = (sp - FrameSize) & ~15UL;
        Span<byte> b = stackalloc byte[FrameSize];
        b.Clear();
        WriteSigInfo(b, signal, info);
        Span<byte> uc = b[SigInfoSize..];
        BinaryPrimitives.WriteUInt64LittleEndian(uc[UcStack..], t.AltStackBase);
        BinaryPrimitives.WriteInt32LittleEndian(uc[(UcStack + 8)..], onAlt ? LinuxAbi.SS_ONSTACK : t.AltStackFlags);
        BinaryPrimitives.WriteUInt64LittleEndian(uc[(UcStack + 16)..], t.AltStackSize);
        BinaryPrimitives.WriteUInt64LittleEndian(uc[UcSigmask..], oldMask);
        Span<byte> mc = uc[UcMcontext..];
        BinaryPrimitives.WriteUInt64LittleEndian(mc, s.Pc);
        for (int i = 1; i < 32; i++) BinaryPrimitives.WriteUInt64LittleEndian(mc[(i * 8)..], s.GetRegister(i));
        for (int i = 0; i < 32; i++) BinaryPrimitives.WriteUInt64LittleEndian(mc[(McFp + i * 8)..], s.GetFloatRegister(i));
        BinaryPrimitives.WriteUInt32LittleEndian(mc[McFcsr..], s.Fcsr);
        if (!s.Memory.CopyOut(frame, b)) return false;
        s.SetRegister(10, (ulong)signal);
        s.SetRegister(11, frame);
        s.SetRegister(12, frame + SigInfoSize);
        s.SetRegister(2, frame);
        s.SetRegister(1, TrampolineVa);
        s.Pc = handler;
        return true;
    }

    /// <summary>rt_sigreturn: restores the registers and mask saved in the frame at sp. False if it cannot be read.</summary>
    public static bool Pop(IUserStrand s, out ulong mask)
    {
        mask = 0;
        Span<byte> uc = stackalloc byte[UcontextSize];
        if (!s.Memory.CopyIn(s.GetRegister(2) + SigInfoSize, uc)) return false;
        mask = BinaryPrimitives.ReadUInt64LittleEndian(uc[UcSigmask..]);
        ReadOnlySpan<byte> mc = uc[UcMcontext..];
        s.Pc = BinaryPrimitives.ReadUInt64LittleEndian(mc);
        for (int i = 1; i < 32; i++) s.SetRegister(i, BinaryPrimitives.ReadUInt64LittleEndian(mc[(i * 8)..]));
        for (int i = 0; i < 32; i++) s.SetFloatRegister(i, BinaryPrimitives.ReadUInt64LittleEndian(mc[(McFp + i * 8)..]));
        s.Fcsr = BinaryPrimitives.ReadUInt32LittleEndian(mc[McFcsr..]);
        return true;
    }

    /// <summary>True if <paramref name="sp"/> lies on the thread's alternate signal stack.</summary>
    public static bool OnAltStack(LinuxThread t, ulong sp) =>
        t.AltStackFlags != LinuxAbi.SS_DISABLE && sp > t.AltStackBase && sp - t.AltStackBase <= t.AltStackSize;

    // Maps the read-execute trampoline page once per address space.
    private static bool EnsureTrampoline(IUserMemory m)
    {
        if (m.TryGetProtection(TrampolineVa, out _)) return true;
        if (!m.Map(TrampolineVa, IUserMemory.PageSize, Protection.Read | Protection.Write)) return false;
        Span<byte> code = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(code, Trampoline[0]);
        BinaryPrimitives.WriteUInt32LittleEndian(code[4..], Trampoline[1]);
        return m.CopyOut(TrampolineVa, code) && m.Protect(TrampolineVa, IUserMemory.PageSize, Protection.Read | Protection.Execute);
    }
}
