/* spindle.h: Spindle-specific system calls, the one place their numbers live.
 * The kernel side (extcore/proc) answers them in the 0x5350 ('S','P') range, far above Linux's numbers. */
#ifndef SPINDLE_H
#define SPINDLE_H
#include <unistd.h>
#include <sys/syscall.h>

#define SPINDLE_SYSCALL_BASE 0x5350
/* long spindle_ext_load(const char *path): compiles and links the C# extension at path for the calling
 * program; returns a handle (>= 0), or -1 with errno set. */
#define SYS_spindle_ext_load (SPINDLE_SYSCALL_BASE + 0)
/* int spindle_ext_unload(long handle): unlinks the extension behind handle; 0, or -1 with errno set. */
#define SYS_spindle_ext_unload (SPINDLE_SYSCALL_BASE + 1)

static inline long spindle_ext_load(const char *path) { return syscall(SYS_spindle_ext_load, path); }
static inline int spindle_ext_unload(long handle) { return (int)syscall(SYS_spindle_ext_unload, handle); }
#endif
