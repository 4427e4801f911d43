/* Self-modifying code: a hot loop written into an executable mapping is run many times (long enough for a
 * compiling CPU to translate it), then its instructions are rewritten in place, followed by fence.i, and run
 * again; every run must see the instructions as they are now. Rewritten: the loop's added immediate (the same
 * instruction, a new value), the loop's operation (addi becomes xori), and an instruction on the same page as
 * the loop but outside it (the function's result register). */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "check.h"

enum { A0 = 10, A1 = 11 };

static uint32_t i_type(int funct3, int rd, int rs1, int imm) { return (uint32_t)(imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x13; }
static uint32_t addi(int rd, int rs1, int imm) { return i_type(0, rd, rs1, imm); }
static uint32_t xori(int rd, int rs1, int imm) { return i_type(4, rd, rs1, imm); }

/* bne rs1, x0, offset (offset even, within +-4 KiB). */
static uint32_t bnez(int rs1, int offset)
{
    uint32_t o = (uint32_t)offset;
    return (o >> 12 & 1) << 31 | (o >> 5 & 0x3f) << 25 | rs1 << 15 | 1 << 12 | (o >> 1 & 0xf) << 8 | (o >> 11 & 1) << 7 | 0x63;
}

/* long f(long n): a1 = 0; do { a1 = a1 OP k; } while (--n); return RESULT; */
enum { LOOP_OP = 1, RESULT = 4 };

static uint32_t *code;

static void set(int index, uint32_t instruction)
{
    code[index] = instruction;
    __asm__ volatile("fence.i" ::: "memory");
}

static long call(long n)
{
    long (*f)(long) = (long (*)(long))(void *)code;
    long sum = 0;
    for (int i = 0; i < 400; i++) sum += f(n);     /* hot: entered hundreds of times, thousands of iterations */
    return sum;
}

int main(void)
{
    code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check_true("mmap rwx", code != MAP_FAILED);
    if (code == MAP_FAILED) return check_done("self_modifying");
    uint32_t body[] = { addi(A1, 0, 0), addi(A1, A1, 3), addi(A0, A0, -1), bnez(A0, -8), addi(A0, A1, 0), 0x8067 /* ret */ };
    memcpy(code, body, sizeof body);
    __asm__ volatile("fence.i" ::: "memory");

    check_u64("add 3", call(50), 400 * 150);
    for (int k = 1; k <= 5; k++) {
        set(LOOP_OP, addi(A1, A1, k * 100));
        check_u64("add k*100", call(50), 400 * 50 * k * 100);
    }
    set(LOOP_OP, xori(A1, A1, 0x5a5));
    check_u64("xor, even count", call(50), 0);
    check_u64("xor, odd count", call(51), 400 * 0x5a5);
    set(RESULT, addi(A0, A0, 7));    /* returns n after the loop (0) plus 7 */
    check_u64("result rewritten", call(20), 400 * 7);
    set(RESULT, addi(A0, A1, 0));
    set(LOOP_OP, addi(A1, A1, -1));
    check_u64("add -1", call(1000), (uint64_t)(400 * -1000L));
    return check_done("self_modifying");
}
