/*
 * The golden vectors of testdata/golden/ on a virtual board: firmware/tests/ as the host runs them,
 * with newlib's semihosting library (rdimon) for stdio and malloc, so fopen reads the host's files.
 *
 *   qemu-system-arm -M mps2-an385 -cpu cortex-m3 -nographic -monitor none -serial null \
 *     -kernel firmware/build/mps2-an385/fqt-golden.elf \
 *     -semihosting-config enable=on,target=native,arg=fqt-golden,arg=GOLDEN_DIR
 *
 * Output and exit status as fqt_tests: one FAIL line per mismatch (case, file, first differing
 * element, expected and computed), a summary line, 0 when every case passed.
 */
#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "semihost.h"

void initialise_monitor_handles(void); /* rdimon: opens stdin, stdout and stderr on the host */

/* A fault (an unaligned access, an FPU left disabled) ends the run instead of hanging it. */
void HardFault_Handler(void)
{
    semihost_write0("fqt-golden: hard fault\n");
    semihost_exit(3);
}

int main(void)
{
    char line[1024];
    const char *dir;
    int status;
    initialise_monitor_handles();
    if (semihost_cmdline(line, sizeof line) != 0 || (dir = strchr(line, ' ')) == NULL) {
        semihost_write0("fqt-golden: usage: fqt-golden GOLDEN_DIR (semihosting arguments)\n");
        semihost_exit(2);
    }
    status = golden_run_plan(dir + 1);
    fflush(stdout);
    semihost_exit(status);
}
