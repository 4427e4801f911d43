/* Stores into its own code (mapped read and execute only): the process must die of SIGSEGV (139). */
#include <unistd.h>

int main(void)
{
    write(1, "before the store\n", 17);
    *(volatile unsigned char *)(void *)main = 0;
    write(1, "after the store\n", 16);
    return 0;
}
