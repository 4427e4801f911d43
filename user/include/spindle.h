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
#endif
