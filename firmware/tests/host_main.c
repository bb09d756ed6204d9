/* fqt_tests [GOLDEN_DIR]: the golden vectors on the host build (make -C firmware test-host). */
#include "golden.h"

int main(int argc, char **argv) {
    return golden_run_plan(argc > 1 ? argv[1] : "testdata/golden", NULL);
}
