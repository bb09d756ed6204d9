/*
 * The golden vectors of testdata/golden/ on a virtual board: firmware/tests/ as the host runs them,
 * with newlib-nano's semihosting library (rdimon) for stdio, so fopen reads the host's files.
 *
 *   qemu-system-arm -M mps2-an385 -cpu cortex-m3 -nographic -monitor none -serial null \
 *     -kernel firmware/build/mps2-an385/fqt-golden.elf \
 *     -semihosting-config enable=on,target=native,arg=fqt-golden,arg=GOLDEN_DIR[,arg=PLAN]
 *
 * PLAN: a plan file of cases (default GOLDEN_DIR/plan.txt), for a board too small for some.
 * Output and exit status as fqt_tests: one FAIL line per mismatch (case, file, first differing
 * element, expected and computed), a summary line, 0 when every case passed; 4 when a case did
 * not fit in RAM.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "semihost.h"

void initialise_monitor_handles(void); /* rdimon: opens stdin, stdout and stderr on the host */

/* Symbols from sections.ld. */
extern uint8_t __bss_end[];
extern uint8_t __stack_top[];
extern uint8_t __stack_min[];

/*
 * newlib-nano's malloc grows its heap here (in place of rdimon's weak _sbrk): from the end of bss up to
 * the stack's reserve. A case that needs more does not fit in this board's RAM, and the run stops
 * saying so rather than going on through a null pointer (the tests do not check every malloc).
 */
void *_sbrk(ptrdiff_t increment)
{
    static uint8_t *brk = __bss_end;
    uint8_t *start = brk;
    if (increment > __stack_top - (uintptr_t)__stack_min - brk) {
        fflush(stdout);
        semihost_write0("fqt-golden: out of RAM: the last case does not fit on this board\n");
        semihost_exit(4);
    }
    brk += increment;
    return start;
}

/* A fault (an unaligned access, an FPU left disabled) ends the run instead of hanging it. */
void HardFault_Handler(void)
{
    semihost_write0("fqt-golden: hard fault\n");
    semihost_exit(3);
}

int main(void)
{
    char line[1024];
    char *dir, *plan;
    int status;
    initialise_monitor_handles();
    if (semihost_cmdline(line, sizeof line) != 0 || (dir = strchr(line, ' ')) == NULL) {
        semihost_write0("fqt-golden: usage: fqt-golden GOLDEN_DIR [PLAN] (semihosting arguments)\n");
        semihost_exit(2);
    }
    *dir++ = 0;
    plan = strchr(dir, ' ');
    if (plan != NULL) *plan++ = 0;
    status = golden_run_plan(dir, plan);
    fflush(stdout);
    semihost_exit(status);
}
