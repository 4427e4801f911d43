/* spindle.h: Spindle-specific system calls, the one place their numbers live. The kernel answers them
 * (Spindle.Kernel/Extensions/ProgramExtensions.cs) at numbers no Linux call uses on RISC-V. */
#ifndef SPINDLE_H
#define SPINDLE_H
#include <unistd.h>
#include <sys/syscall.h>

/* long spindle_ext_load(const char *path): compiles and links the C# extension at path for the calling
 * program; returns a handle (> 0), or -1 with errno set. */
#define SYS_spindle_ext_load 1000
/* int spindle_ext_unload(long handle): unlinks the extension behind handle; 0, or -1 with errno set. */
#define SYS_spindle_ext_unload 1001

/* The integrated C-Threads package's calls, answered by extensions/Examples/CThreads.cs once the program loaded
 * it (user/lib/cthreads.c wraps them; a0 = -ENOSYS, arguments in a1-a4). */
#define SYS_cthread_fork 1030
#define SYS_cthread_exit 1031
#define SYS_cthread_join 1032
#define SYS_cthread_wait 1033
#define SYS_cthread_wake 1034
#define SYS_cthread_self 1035

static inline long spindle_ext_load(const char *path) { return syscall(SYS_spindle_ext_load, path); }
static inline int spindle_ext_unload(long handle) { return (int)syscall(SYS_spindle_ext_unload, handle); }

/* Cross-address-space calls (extensions/Examples/CrossCall.cs, which the program loads with spindle_ext_load).
 * Each returns the kernel's raw answer: a negative errno on failure (no errno is set), so that a call's reply
 * value comes back unchanged. a0 carries -ENOSYS, which stays the answer if the extension is not loaded. */
#define SYS_xcall_create 1020     /* create(name) -> port handle (the caller's address space owns the port) */
#define SYS_xcall_connect 1021    /* connect(name) -> handle to the port registered as name */
#define SYS_xcall_call 1022       /* call(handle, x, y, z) -> the server's reply */
#define SYS_xcall_wait 1023       /* wait(handle) -> 0, the call's x, y, z in *args */
#define SYS_xcall_reply_wait 1024 /* reply_wait(handle, value) -> as wait, after replying value */
#define SYS_xcall_close 1025      /* close(handle) -> 0 */

#ifdef __riscv
/* One ecall with a0 = -ENOSYS and a1-a4; returns a0, and a1-a3 in out[0..2] if out is not NULL. */
static inline long spindle_xcall_ecall(long nr, long a1v, long a2v, long a3v, long a4v, long *out)
{
    register long a0 __asm__("a0") = -38 /* ENOSYS */;
    register long a1 __asm__("a1") = a1v, a2 __asm__("a2") = a2v, a3 __asm__("a3") = a3v, a4 __asm__("a4") = a4v;
    register long a7 __asm__("a7") = nr;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4), "r"(a7) : "memory");
    if (out) { out[0] = a1; out[1] = a2; out[2] = a3; }
    return a0;
}
static inline long xcall_create(long name) { return spindle_xcall_ecall(SYS_xcall_create, name, 0, 0, 0, 0); }
static inline long xcall_connect(long name) { return spindle_xcall_ecall(SYS_xcall_connect, name, 0, 0, 0, 0); }
static inline long xcall_call(long h, long x, long y, long z) { return spindle_xcall_ecall(SYS_xcall_call, h, x, y, z, 0); }
static inline long xcall_wait(long h, long args[3]) { return spindle_xcall_ecall(SYS_xcall_wait, h, 0, 0, 0, args); }
static inline long xcall_reply_wait(long h, long value, long args[3]) { return spindle_xcall_ecall(SYS_xcall_reply_wait, h, value, 0, 0, args); }
static inline long xcall_close(long h) { return spindle_xcall_ecall(SYS_xcall_close, h, 0, 0, 0, 0); }
#endif
#endif
