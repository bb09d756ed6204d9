/* Arm semihosting, for test images run under QEMU with -semihosting-config enable=on,target=native.
 * On a board without a debugger attached the BKPT instruction faults: never link this into an
 * application image. */
#ifndef FQT_SEMIHOST_H
#define FQT_SEMIHOST_H

/* Writes a NUL-terminated string to QEMU's standard output. */
void semihost_write0(const char *s);

/* Stops QEMU with the given exit status (SYS_EXIT_EXTENDED, so the status is not lost). */
void semihost_exit(int status) __attribute__((noreturn));

#endif
