/* Memory and descriptor system calls whose results are deterministic: brk growth, anonymous mmap with
 * munmap of a middle page, mprotect, MAP_FIXED, mremap, write/writev to stdout, and the errors Linux
 * returns for a bad descriptor, a bad pointer and an unknown system call. */
#define _GNU_SOURCE
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include "check.h"

int main(void)
{
    /* stdout's buffer is static: shrinking the break below would unmap a malloc'd one (as Linux does; qemu-user keeps
     * the pages), which a dynamically linked libc allocates from the break after b0. */
    static char out[4096];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    char *b0 = sbrk(0);
    check_true("sbrk grows", sbrk(1 << 20) == b0 && sbrk(0) == b0 + (1 << 20));
    memset(b0, 0xab, 1 << 20);
    check_u64("brk memory usable", (unsigned char)b0[(1 << 20) - 1], 0xab);
    check_true("sbrk shrinks", sbrk(-(1 << 19)) != (void *)-1 && sbrk(0) == b0 + (1 << 19));

    unsigned char *m = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check_true("mmap ok", m != MAP_FAILED);
    check_true("mmap page aligned", ((uintptr_t)m & 4095) == 0);
    uint64_t zero = 0;
    for (int i = 0; i < 16 * 4096; i++) zero |= m[i];
    check_u64("mmap zero-filled", zero, 0);
    for (int i = 0; i < 16; i++) m[i * 4096] = (unsigned char)i;
    check_u64("munmap middle", munmap(m + 4 * 4096, 4096), 0);
    check_u64("mprotect read-only", mprotect(m, 4096, PROT_READ), 0);
    check_u64("read after mprotect", m[0], 0);
    unsigned char *fixed = mmap(m + 4 * 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check_true("MAP_FIXED into the hole", fixed == m + 4 * 4096);
    check_u64("hole refilled with zeros", fixed[0], 0);
    unsigned char *grown = mremap(m + 8 * 4096, 8 * 4096, 64 * 4096, MREMAP_MAYMOVE);
    check_true("mremap ok", grown != MAP_FAILED);
    check_u64("mremap keeps data", grown != MAP_FAILED ? grown[4096] : 0, 9);
    check_u64("munmap all", munmap(m, 8 * 4096), 0);

    fflush(stdout);
    const char msg[] = "raw write\n";
    check_u64("write", write(1, msg, sizeof msg - 1), sizeof msg - 1);
    struct iovec iov[3] = { { "wr", 2 }, { "it", 2 }, { "ev\n", 3 } };
    check_u64("writev", writev(1, iov, 3), 7);
    errno = 0;
    check_u64("write bad fd", (uint64_t)write(99, msg, 1), (uint64_t)-1);
    check_u64("errno EBADF", errno, EBADF);
    errno = 0;
    const char *volatile bad_pointer = (const char *)16;
    check_u64("write bad pointer", (uint64_t)write(1, bad_pointer, 1), (uint64_t)-1);
    check_u64("errno EFAULT", errno, EFAULT);
    errno = 0;
    check_u64("unknown syscall", (uint64_t)syscall(4000), (uint64_t)-1);
    check_u64("errno ENOSYS", errno, ENOSYS);
    errno = 0;
    check_u64("close bad fd", (uint64_t)close(1234), (uint64_t)-1);
    check_u64("errno EBADF again", errno, EBADF);
    return check_done("syscalls_mem");
}
