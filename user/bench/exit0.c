/* Returns at once: the start-up row of `spindle bench cpu` (time and peak memory of a program that does nothing,
 * under Spindle and under qemu-riscv64). */
int main(void)
{
    return 0;
}
