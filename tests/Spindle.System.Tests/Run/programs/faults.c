/* Dies on purpose: "jump" jumps to an unmapped address, "store" writes to one, "ebreak" traps. */
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
    printf("before the fault\n");
    fflush(stdout); /* now in spindle's console buffer, which must reach the host before the process dies */
    if (argc > 1 && strcmp(argv[1], "jump") == 0) ((void (*)(void))0xdead0000)();
    if (argc > 1 && strcmp(argv[1], "store") == 0) *(volatile int *)0x10 = 1;
    if (argc > 1 && strcmp(argv[1], "ebreak") == 0) __asm__ volatile("ebreak");
    return 0;
}
