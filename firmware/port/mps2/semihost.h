/* Arm semihosting, for test images run under QEMU with -semihosting-config enable=on,target=native.
 * On a board without a debugger attached the BKPT instruction faults: never link this into an
 * application image. */
#ifndef FQT_SEMIHOST_H
#define FQT_SEMIHOST_H

#include <stdint.h>

/* Modes of semihost_open (the specification's fopen() mode numbers). */
#define SEMIHOST_OPEN_RB 1u
#define SEMIHOST_OPEN_WB 5u

/* Writes a NUL-terminated string to QEMU's standard output. */
void semihost_write0(const char *s);

/* Stops QEMU with the given exit status (SYS_EXIT_EXTENDED, so the status is not lost). */
void semihost_exit(int status) __attribute__((noreturn));

/* The arguments QEMU was given with -semihosting-config ...,arg=A,arg=B: "A B", NUL-terminated in
 * buf (cap bytes). Returns 0, or -1 when they do not fit. */
int semihost_cmdline(char *buf, uint32_t cap);

/* Files on the host, by path (relative to QEMU's working directory). */
int semihost_open(const char *path, uint32_t mode); /* a handle, -1 on failure */
int semihost_close(int handle);
long semihost_length(int handle);                   /* bytes, -1 on failure */
int semihost_seek(int handle, uint32_t position);   /* 0, or -1 on failure */
/* Reads or writes exactly n bytes: 0 when all moved, else -1. */
int semihost_read(int handle, void *buf, uint32_t n);
int semihost_write(int handle, const void *buf, uint32_t n);

#endif
