/*
 * fqt_trainer: firmware/core/ training on a real board over its USB serial port, timed per phase.
 * Boards: Raspberry Pi Pico (RP2040, Cortex-M0+: time in micros()), Arduino Nano 33 BLE (nRF52840,
 * Cortex-M4F) and Teensy 4.x (i.MX RT1062, Cortex-M7): time in DWT cycles. The core is copied into
 * src/fqt/ by sync-core.sh before building (README.md).
 *
 * The host speaks first and sends two files back to back, as the toolkit writes them:
 * the model blob (fqt.wire.ModelBlob; its header holds its length) and a samples file of uint8
 * input codes (fqt.board.SampleFile). The board trains on the samples in file order and answers
 * with text lines, then the trained model's blob:
 *   sample K loss 0xLOSSBITS predicted P          one per trained sample
 *   fqt-trainer CORE samples=N forward_UNIT=... backward_UNIT=... update_UNIT=... selection_UNIT=... forward_macs=... backward_macs=...
 *   blob N                                        then N raw bytes: the trained model (fqt_model_blob_write)
 *   done STATUS                                   0, or a negative fqt_status code
 */
#include <Arduino.h>
#include <string.h>

extern "C" {
#include "src/fqt/fqt_status.h"
#include "src/fqt/model_blob.h"
}

#if defined(ARDUINO_TEENSY40) || defined(ARDUINO_TEENSY41)
/* 1 MiB of RAM; the arena and blobs go to RAM2 (OCRAM), RAM1 keeps code, stack and the rest. */
#define ARENA_BYTES (320u * 1024u)
#define BLOB_BYTES (72u * 1024u)
#define MAX_SAMPLES 4096u
#define BIG_BUFFER DMAMEM
#else
/* Pico: 264 KiB of RAM, Nano 33 BLE: 256 KiB (Mbed OS takes its share): too small for the small
 * CNN trained in full (301,020 B); train its last layers (MemoryPlan.ramBytes() tells what fits). */
#define ARENA_BYTES (112u * 1024u)
#define BLOB_BYTES (40u * 1024u)
#define MAX_SAMPLES 1024u
#define BIG_BUFFER
#endif
#define MAX_SAMPLE_BYTES 4096u

#if defined(__ARM_ARCH_7EM__)
/* Cortex-M4/M7: the DWT cycle counter, extended to 64 bits (correct while calls come less than
 * 2^32 cycles apart, true inside a training phase). */
#define CLOCK_UNIT "cycles"
#define DEMCR (*(volatile uint32_t *) 0xE000EDFCu)
#define DWT_CTRL (*(volatile uint32_t *) 0xE0001000u)
#define DWT_CYCCNT (*(volatile uint32_t *) 0xE0001004u)
#define DWT_LAR (*(volatile uint32_t *) 0xE0001FB0u)

static void clock_init(void) {
    DEMCR |= 1u << 24;     /* TRCENA: the DWT runs */
    DWT_LAR = 0xC5ACCE55u; /* unlocks the DWT where a lock exists (Cortex-M7); ignored elsewhere */
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u;        /* CYCCNTENA */
}

static uint64_t clock_now(void) {
    static uint32_t last, high;
    uint32_t now = DWT_CYCCNT;
    if (now < last) high++;
    last = now;
    return (uint64_t) high << 32 | now;
}
#else
/* Cortex-M0+ has no cycle counter: the Arduino microsecond timer. */
#define CLOCK_UNIT "micros"
static void clock_init(void) {}
static uint64_t clock_now(void) {
    static uint32_t last, high;
    uint32_t now = micros();
    if (now < last) high++;
    last = now;
    return (uint64_t) high << 32 | now;
}
#endif

#if defined(__ARM_ARCH_6M__)
#define CORE_NAME "cortex-m0plus"
#elif defined(ARDUINO_TEENSY40) || defined(ARDUINO_TEENSY41)
#define CORE_NAME "cortex-m7"
#else
#define CORE_NAME "cortex-m4f"
#endif

static BIG_BUFFER union {
    int64_t align; /* ARENA.md: the arena is 8-aligned */
    uint8_t bytes[ARENA_BYTES];
} arena;
static BIG_BUFFER uint32_t blob[BLOB_BYTES / 4]; /* 4-aligned, as the loader wants; stays put while training */
static BIG_BUFFER uint32_t out_blob[BLOB_BYTES / 4];
static uint32_t labels[MAX_SAMPLES];
static uint8_t sample[MAX_SAMPLE_BYTES];
static fqt_model model;
static fqt_trainer trainer;

static void read_exactly(void *buf, uint32_t n) {
    uint8_t *p = (uint8_t *) buf;
    while (n > 0) {
        int c = Serial.read();
        if (c >= 0) {
            *p++ = (uint8_t) c;
            n--;
        }
    }
}

static uint32_t u32_at(const uint8_t *p) {
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static void print_u64(const char *name, uint64_t v) {
    char buf[21];
    int i = 20;
    buf[i] = '\0';
    do {
        buf[--i] = (char) ('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    Serial.print(' ');
    Serial.print(name);
    Serial.print('=');
    Serial.print(&buf[i]);
}

/* One run: blob and samples in, lines and the trained blob out. */
static int train_once(void) {
    uint8_t header[16];
    size_t arena_used = 0, out_len = 0;
    uint32_t blob_len, count, size, k;
    int status;
    read_exactly(header, 16);
    blob_len = u32_at(header + 8);
    if (memcmp(header, "FQTB", 4) != 0 || blob_len < 16 || blob_len > BLOB_BYTES) return FQT_ERR_TRUNCATED;
    memcpy(blob, header, 16);
    read_exactly((uint8_t *) blob + 16, blob_len - 16);
    read_exactly(header, 16);
    count = u32_at(header + 8);
    size = u32_at(header + 12);
    if (memcmp(header, "FQTS", 4) != 0 || header[6] != 1 || count > MAX_SAMPLES || size > MAX_SAMPLE_BYTES) return FQT_ERR_INPUT;
    read_exactly(labels, 4 * count); /* little-endian words, as the Cortex-M stores them */
    status = fqt_model_blob_load((const uint8_t *) blob, blob_len, arena.bytes, sizeof arena.bytes, &model, &trainer, &arena_used);
    if (status == FQT_OK && size != (uint32_t) model.input_size) status = FQT_ERR_INPUT;
    if (status != FQT_OK) return status;
    trainer.ctx.clock = clock_now;
    for (k = 0; k < count; k++) {
        float loss;
        int32_t pred;
        uint32_t bits;
        read_exactly(sample, size);
        status = fqt_trainer_sample(&trainer, NULL, sample, (int32_t) labels[k], k == count - 1, &loss, &pred);
        if (status != FQT_OK) return status;
        memcpy(&bits, &loss, 4);
        Serial.print("sample ");
        Serial.print((unsigned long) k);
        Serial.print(" loss 0x");
        Serial.print((unsigned long) bits, HEX);
        Serial.print(" predicted ");
        Serial.println((long) pred);
    }
    Serial.print("fqt-trainer " CORE_NAME);
    print_u64("samples", count);
    print_u64("forward_" CLOCK_UNIT, trainer.forward_time);
    print_u64("backward_" CLOCK_UNIT, trainer.backward_time);
    print_u64("update_" CLOCK_UNIT, trainer.update_time);
    print_u64("selection_" CLOCK_UNIT, trainer.ctx.select_time);
    print_u64("forward_macs", (uint64_t) trainer.ctx.forward_macs);
    print_u64("backward_macs", (uint64_t) trainer.ctx.backward_macs);
    Serial.println();
    if (fqt_model_blob_size(&model, &trainer) > BLOB_BYTES) return FQT_ERR_ARENA;
    status = fqt_model_blob_write(&model, &trainer, (uint8_t *) out_blob, BLOB_BYTES, &out_len);
    if (status != FQT_OK) return status;
    Serial.print("blob ");
    Serial.println((unsigned long) out_len);
    Serial.write((const uint8_t *) out_blob, out_len);
    return FQT_OK;
}

void setup() {
    Serial.begin(115200); /* USB CDC: the rate is ignored */
    clock_init();
}

void loop() {
    int status = train_once();
    Serial.print("done ");
    Serial.println(status);
}
