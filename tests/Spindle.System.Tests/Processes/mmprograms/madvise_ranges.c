/* madvise_ranges: MADV_DONTNEED over a huge, mostly unmapped range zeroes the mapped pages (at both ends) and
 * answers ENOMEM for the holes, at once; hints and bad advice answer as Linux does. qemu-user ignores madvise,
 * so the expected text is Linux's behaviour, written in the test. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define SPAN (1UL << 37) /* 2^25 pages, below the stack of a 2^38-byte (Sv39) user space */

int main(void)
{
    char *lo = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *hi = mmap(lo + SPAN - 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (lo == MAP_FAILED || hi == MAP_FAILED) { perror("mmap"); return 2; }
    lo[0] = hi[4095] = 5;
    int r = madvise(lo, SPAN, MADV_DONTNEED);
    printf("sparse dontneed: %d %s, lo=%d hi=%d\n", r, r ? strerror(errno) : "", lo[0], hi[4095]);
    r = madvise(lo, SPAN, MADV_WILLNEED);
    printf("sparse willneed: %d %s\n", r, r ? strerror(errno) : "");
    r = madvise(lo, 4096, MADV_SEQUENTIAL);
    printf("mapped sequential: %d\n", r);
    r = madvise(lo, 4096, 77);
    printf("unknown advice: %d %s\n", r, r ? strerror(errno) : "");
    return 0;
}
