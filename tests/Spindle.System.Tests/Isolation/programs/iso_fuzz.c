/* iso_fuzz SEED [CALLS]: a seeded system-call fuzzer. It makes CALLS (default 20000) calls with numbers drawn
 * from [0, 500) plus some large and negative ones, and arguments drawn from a pool (0, small ints, -1, a huge
 * length, unmapped and kernel pointers, a small valid buffer that ends at a guard page, bad fds). Calls that
 * would end or block it are skipped, or have the dangerous argument pinned (see sanitize()). All signals are
 * blocked around each call. At the end it prints a checksum of the results mod 2^32 and "fuzz done".
 * A child forked at the start computes a known value meanwhile and prints it: other processes keep running. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define SCRATCH 0x3000000000UL /* the only range memory-management calls may touch */
#define SCRATCH_PAGES 16UL
#define SAVED_STDOUT 200       /* the fuzzer's own output; no call may close it */
#define BUFLEN 256

static uint64_t rng;
static char *buf;              /* BUFLEN bytes just below a PROT_NONE guard page */
static const struct timespec zero_ts;

/* xorshift64*: the next pseudo-random number. */
static uint64_t next(void)
{
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1DULL;
}

/* A raw system call: the kernel's return value, -errno on failure. */
static long raw(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long x10 asm("a0") = a0, x11 asm("a1") = a1, x12 asm("a2") = a2;
    register long x13 asm("a3") = a3, x14 asm("a4") = a4, x15 asm("a5") = a5, x17 asm("a7") = n;
    asm volatile("ecall" : "+r"(x10) : "r"(x11), "r"(x12), "r"(x13), "r"(x14), "r"(x15), "r"(x17) : "memory");
    return x10;
}

/* A call number: mostly [0, 500), sometimes in [500, 1000) or negative. */
static long pick_number(void)
{
    uint64_t r = next() % 100;
    if (r < 94) return (long)(next() % 500);
    if (r < 97) return 500 + (long)(next() % 500);
    return -(long)(next() % 1000) - 1;
}

/* One argument from the pool. */
static long pick_arg(void)
{
    switch (next() % 10) {
    case 0: return 0;
    case 1: case 2: return (long)(next() % 64);           /* small ints (and low, unmapped addresses) */
    case 3: return -1;
    case 4: return 1L << 40;                              /* a huge length */
    case 5: return (long)0x2800000000UL + (long)(next() % 64) * 4096; /* unmapped user memory */
    case 6: return (long)0xffffffc000000000UL;            /* the kernel */
    case 7: case 8: return (long)buf;                     /* a small valid buffer */
    default: return next() % 2 ? 9999 : -100;             /* bad fds */
    }
}

/* Pins addr into the scratch region and len so that [addr, addr+len) stays inside it. */
static void pin_scratch(long *addr, long *len)
{
    *addr = (long)(SCRATCH + (next() % SCRATCH_PAGES) * PAGE);
    unsigned long room = SCRATCH + SCRATCH_PAGES * PAGE - (unsigned long)*addr;
    if ((unsigned long)*len > room) *len = (long)room;
}

/* Makes call n with arguments a safe to make: returns 0 to skip it, else 1 (perhaps after pinning arguments).
 * Skipped: calls that end the process or its group, send signals, create processes or replace the image,
 * wait, sleep, change signal stacks or thread state, install seccomp or resource limits, arm timers, and
 * Spindle's own numbers (>= 1000). */
static int sanitize(long n, long a[6])
{
    switch (n) {
    case 93: case 94:                          /* exit, exit_group */
    case 129: case 130: case 131:              /* kill, tkill, tgkill */
    case 138: case 240: case 424:              /* rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal */
    case 139: case 128:                        /* rt_sigreturn, restart_syscall */
    case 220: case 435: case 221: case 281:    /* clone, clone3, execve, execveat */
    case 260: case 95:                         /* wait4, waitid */
    case 98: case 449:                         /* futex, futex_waitv */
    case 101: case 115:                        /* nanosleep, clock_nanosleep */
    case 133: case 132:                        /* rt_sigsuspend, sigaltstack */
    case 96: case 99: case 293:                /* set_tid_address, set_robust_list, rseq */
    case 167: case 142: case 277:              /* prctl, reboot, seccomp */
    case 164: case 261:                        /* setrlimit, prlimit64 */
    case 103: case 107: case 110:              /* setitimer, timer_create, timer_settime */
    case 214:                                  /* brk: the allocator's heap */
    case 182: case 183: case 188: case 189: case 192: case 193: /* message queues and semaphores that wait */
    case 196: case 197:                        /* shmat, shmdt */
        return 0;
    case 215: case 226: case 233: case 234:    /* munmap, mprotect, madvise, remap_file_pages */
    case 288:                                  /* pkey_mprotect */
        pin_scratch(&a[0], &a[1]);
        return 1;
    case 216: {                                /* mremap: old range and any new fixed address in scratch */
        pin_scratch(&a[0], &a[1]);
        long len = a[2];
        pin_scratch(&a[4], &len);
        a[2] = len;
        return 1;
    }
    case 222:                                  /* mmap: a fixed mapping only inside scratch */
        if (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) pin_scratch(&a[0], &a[1]);
        return 1;
    case 134: a[1] = 0; return 1;              /* rt_sigaction: query only */
    case 57: return a[0] != SAVED_STDOUT;      /* close */
    case 436:                                  /* close_range */
        return !((unsigned)a[0] <= SAVED_STDOUT && (unsigned)a[1] >= SAVED_STDOUT);
    case 24: return (unsigned)a[1] != SAVED_STDOUT; /* dup3 */
    case 32: a[1] |= 4; return 1;              /* flock: LOCK_NB */
    case 25:                                   /* fcntl: no waiting lock */
        if (a[1] == 7) a[1] = 6;               /* F_SETLKW -> F_SETLK */
        if (a[1] == 38) a[1] = 37;             /* F_OFD_SETLKW -> F_OFD_SETLK */
        return 1;
    case 73: a[2] = (long)&zero_ts; return 1;  /* ppoll */
    case 72: a[4] = (long)&zero_ts; return 1;  /* pselect6 */
    case 22: a[3] = 0; return 1;               /* epoll_pwait */
    case 441: a[3] = (long)&zero_ts; return 1; /* epoll_pwait2 */
    case 137: a[2] = (long)&zero_ts; return 1; /* rt_sigtimedwait */
    case 4: case 292: a[4] = (long)&zero_ts; return 1; /* io_getevents, io_pgetevents */
    case 243: a[4] = (long)&zero_ts; return 1; /* recvmmsg */
    default:
        return n < 1000;
    }
}

/* Sets O_NONBLOCK on fd if it is open, so no later read, write or accept on it can wait. */
static void nonblock(long fd)
{
    if (fd < 0 || fd >= 1024 || fd == SAVED_STDOUT) return;
    long fl = raw(SYS_fcntl, fd, F_GETFL, 0, 0, 0, 0);
    if (fl >= 0) raw(SYS_fcntl, fd, F_SETFL, fl | O_NONBLOCK, 0, 0, 0);
}

static void ignore(int sig) { (void)sig; }

/* The child's known value: the sum of the primes below 200000. */
static long child_value(void)
{
    long sum = 0;
    for (long n = 2; n < 200000; n++) {
        int prime = 1;
        for (long d = 2; d * d <= n; d++) if (n % d == 0) { prime = 0; break; }
        if (prime) sum += n;
    }
    return sum;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: iso_fuzz SEED [CALLS]\n"); return 2; }
    rng = strtoull(argv[1], NULL, 0) * 2654435761ULL + 1;
    long calls = argc > 2 ? atol(argv[2]) : 20000;
    setvbuf(stdout, NULL, _IONBF, 0);

    pid_t child = fork();
    if (child == 0) { printf("child value: %ld\n", child_value()); return 0; }

    /* Output goes to a saved descriptor; 0, 1 and 2 become /dev/null, so no call reads the terminal or
     * scribbles on the output. */
    if (dup3(1, SAVED_STDOUT, 0) < 0) { perror("dup3"); return 2; }
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; fd++) dup3(null, fd, 0);
    if (null > 2) close(null);
    FILE *out = fdopen(SAVED_STDOUT, "w");
    setvbuf(out, NULL, _IONBF, 0);

    /* Signals a call provokes are harmless: a no-op handler, SIGPIPE ignored; faults keep their default. */
    struct sigaction sa = { .sa_handler = ignore, .sa_flags = SA_RESTART };
    for (int sig = 1; sig < 65; sig++)
        if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE && sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    char *guarded = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (guarded == MAP_FAILED || mprotect(guarded + PAGE, PAGE, PROT_NONE)) { perror("guard"); return 2; }
    buf = guarded + PAGE - BUFLEN;

    uint32_t sum = 0;
    long made = 0, skipped = 0;
    uint64_t all = ~0ULL, old;
    for (long i = 0; i < calls; i++) {
        if (i % 64 == 0)
            mmap((void *)SCRATCH, SCRATCH_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        long n = pick_number(), a[6];
        for (int k = 0; k < 6; k++) a[k] = pick_arg();
        if (!sanitize(n, a)) { skipped++; continue; }
        memset(buf, 0, BUFLEN);
        strcpy(buf, "/tmp/iso-fuzz-file");
        raw(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8, 0, 0);
        long r = raw(n, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (r >= 0) nonblock(r);
        if ((n == SYS_pipe2 || n == SYS_socketpair) && r == 0) {
            int *fds = (int *)(n == SYS_pipe2 ? (void *)a[0] : (void *)a[3]);
            if ((char *)fds == buf) { nonblock(fds[0]); nonblock(fds[1]); }
        }
        if (n == SYS_fcntl) nonblock(a[0]);
        raw(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8, 0, 0);
        sum = sum * 31 + (uint32_t)r;
        made++;
    }
    fprintf(out, "seed %s: %ld calls made, %ld skipped, checksum %08x\n", argv[1], made, skipped, sum);
    int st;
    waitpid(child, &st, 0);
    fprintf(out, "child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    fprintf(out, "fuzz done\n");
    return 0;
}
