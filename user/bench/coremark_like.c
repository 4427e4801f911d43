/* A CoreMark-like compute kernel: linked-list find/reverse/sort, integer matrix multiply and
 * add/mask passes, and a string-scanning state machine, each folded into a CRC-16. Deterministic; the
 * final CRC is printed so that every engine's run can be checked. ITERATIONS is tuned for ~1-3 s
 * under qemu-riscv64; pass a different count as argv[1]. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

#define LIST_NODES 256
#define MAT_N 24
#define STATE_INPUT 512

struct node { struct node *next; int16_t data; int16_t idx; };

static struct node nodes[LIST_NODES];
static int32_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];
static char input[STATE_INPUT];

/* CRC-16/CCITT of one 16-bit value folded into crc. */
static uint16_t crc16(uint16_t v, uint16_t crc)
{
    for (int i = 0; i < 16; i++) {
        int bit = ((v >> i) & 1) ^ (crc & 1);
        crc >>= 1;
        if (bit) crc ^= 0xa001;
    }
    return crc;
}

static struct node *list_reverse(struct node *h)
{
    struct node *prev = NULL;
    while (h) { struct node *n = h->next; h->next = prev; prev = h; h = n; }
    return prev;
}

/* Merge sort of the list by data (then idx); returns the new head. */
static struct node *list_sort(struct node *h, int by_idx)
{
    if (!h || !h->next) return h;
    struct node *slow = h, *fast = h->next;
    while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
    struct node *b = slow->next;
    slow->next = NULL;
    struct node *a = list_sort(h, by_idx);
    b = list_sort(b, by_idx);
    struct node head, *t = &head;
    while (a && b) {
        int take_a = by_idx ? a->idx <= b->idx : a->data <= b->data;
        if (take_a) { t->next = a; a = a->next; } else { t->next = b; b = b->next; }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

static uint16_t bench_list(uint16_t crc, int seed)
{
    struct node *h = NULL;
    for (int i = LIST_NODES - 1; i >= 0; i--) {
        nodes[i].data = (int16_t)((i * 7919 + seed * 31) & 0x7fff);
        nodes[i].idx = (int16_t)i;
        nodes[i].next = h;
        h = &nodes[i];
    }
    for (int f = 0; f < 8; f++) {
        int16_t want = (int16_t)((f * 1237 + seed) & 0x7fff);
        struct node *p = h;
        while (p && p->data != want) p = p->next;
        crc = crc16(p ? (uint16_t)p->idx : 0xffff, crc);
    }
    h = list_reverse(h);
    h = list_sort(h, 0);
    crc = crc16((uint16_t)h->data, crc);
    h = list_sort(h, 1);
    for (struct node *p = h; p; p = p->next) crc = crc16((uint16_t)(p->data ^ p->idx), crc);
    return crc;
}

static uint16_t bench_matrix(uint16_t crc, int seed)
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            ma[i][j] = (i * 31 + j * 17 + seed) & 0xff;
            mb[i][j] = (i * 13 - j * 7 + seed) & 0xff;
        }
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int k = 0; k < MAT_N; k++) s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    int32_t acc = 0;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            mc[i][j] = (mc[i][j] + seed) & 0xffff;
            acc += mc[i][j] > 0x8000 ? 1 : -1;
            acc ^= mc[i][j] >> 3;
        }
    return crc16((uint16_t)acc, crc);
}

enum state { START, INT, SIGN, FRAC, EXP, SCI, INVALID };

/* Classifies comma-separated tokens of input as integers, decimals, scientific or invalid. */
static uint16_t bench_state(uint16_t crc, int seed)
{
    static const char alphabet[] = "0123456789+-.eE,x";
    for (int i = 0; i < STATE_INPUT; i++) input[i] = alphabet[(i * 7 + seed * 3 + (i >> 3)) % 17];
    unsigned counts[7] = { 0 };
    enum state s = START;
    for (int i = 0; i < STATE_INPUT; i++) {
        char c = input[i];
        if (c == ',') { counts[s]++; s = START; continue; }
        switch (s) {
        case START: s = (c >= '0' && c <= '9') ? INT : (c == '+' || c == '-') ? SIGN : c == '.' ? FRAC : INVALID; break;
        case SIGN: s = (c >= '0' && c <= '9') ? INT : c == '.' ? FRAC : INVALID; break;
        case INT: s = (c >= '0' && c <= '9') ? INT : c == '.' ? FRAC : (c == 'e' || c == 'E') ? EXP : INVALID; break;
        case FRAC: s = (c >= '0' && c <= '9') ? FRAC : (c == 'e' || c == 'E') ? EXP : INVALID; break;
        case EXP: s = ((c >= '0' && c <= '9') || c == '+' || c == '-') ? SCI : INVALID; break;
        case SCI: s = (c >= '0' && c <= '9') ? SCI : INVALID; break;
        case INVALID: break;
        }
    }
    for (int i = 0; i < 7; i++) crc = crc16((uint16_t)counts[i], crc);
    return crc;
}

int main(int argc, char **argv)
{
    int iterations = argc > 1 ? atoi(argv[1]) : 15000;
    uint16_t crc = 0;
    for (int it = 0; it < iterations; it++) {
        crc = bench_list(crc, it);
        crc = bench_matrix(crc, it);
        crc = bench_state(crc, it);
    }
    printf("coremark_like: %d iterations, crc %04x\n", iterations, crc);
    return 0;
}
