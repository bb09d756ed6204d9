#include "semihost.h"

#include <string.h>

/* Operation numbers and the application-exit reason from Arm's semihosting specification. */
#define SYS_OPEN 0x01u
#define SYS_CLOSE 0x02u
#define SYS_WRITE0 0x04u
#define SYS_WRITE 0x05u
#define SYS_READ 0x06u
#define SYS_SEEK 0x0Au
#define SYS_FLEN 0x0Cu
#define SYS_GET_CMDLINE 0x15u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static uint32_t semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihost_write0(const char *s)
{
    semihost_call(SYS_WRITE0, s);
}

void semihost_exit(int status)
{
    /* SYS_EXIT on 32-bit Arm carries only "success or not"; the extended call carries the code. */
    const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;) {
    }
}

int semihost_cmdline(char *buf, uint32_t cap)
{
    uint32_t block[2] = {(uint32_t)(uintptr_t)buf, cap};
    return semihost_call(SYS_GET_CMDLINE, block) == 0u ? 0 : -1;
}

int semihost_open(const char *path, uint32_t mode)
{
    const uint32_t block[3] = {(uint32_t)(uintptr_t)path, mode, (uint32_t)strlen(path)};
    return (int)semihost_call(SYS_OPEN, block);
}

int semihost_close(int handle)
{
    const uint32_t block[1] = {(uint32_t)handle};
    return (int)semihost_call(SYS_CLOSE, block);
}

long semihost_length(int handle)
{
    const uint32_t block[1] = {(uint32_t)handle};
    return (long)(int32_t)semihost_call(SYS_FLEN, block);
}

int semihost_seek(int handle, uint32_t position)
{
    const uint32_t block[2] = {(uint32_t)handle, position};
    return semihost_call(SYS_SEEK, block) == 0u ? 0 : -1;
}

/* SYS_READ and SYS_WRITE answer with the number of bytes they did not move. */
int semihost_read(int handle, void *buf, uint32_t n)
{
    const uint32_t block[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)buf, n};
    return semihost_call(SYS_READ, block) == 0u ? 0 : -1;
}

int semihost_write(int handle, const void *buf, uint32_t n)
{
    const uint32_t block[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)buf, n};
    return semihost_call(SYS_WRITE, block) == 0u ? 0 : -1;
}
