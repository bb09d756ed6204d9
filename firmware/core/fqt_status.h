/* Status codes of the core: 0 is success, every failure has its own negative code. */
#ifndef FQT_STATUS_H
#define FQT_STATUS_H

typedef enum {
    FQT_OK = 0,
    FQT_ERR_TRUNCATED = -1,    /* blob shorter than its header or than its declared size */
    FQT_ERR_MAGIC = -2,        /* not a model blob */
    FQT_ERR_VERSION = -3,      /* a blob version this firmware does not read */
    FQT_ERR_SIZE = -4,         /* declared size disagrees with the bytes or the contents */
    FQT_ERR_CRC = -5,          /* CRC-32 mismatch */
    FQT_ERR_CONFIG = -6,       /* a training setting out of range */
    FQT_ERR_LAYER = -7,        /* unknown layer kind, bad geometry or shapes that do not chain */
    FQT_ERR_PARAMS = -8,       /* a scale, zero point, range or weight that is not valid */
    FQT_ERR_TOO_MANY_LAYERS = -9,
    FQT_ERR_ARENA = -10,       /* the model does not fit the arena */
    FQT_ERR_NONFINITE = -11,   /* NaN or Inf reached a range or the loss (Java throws ArithmeticException) */
    FQT_ERR_INPUT = -12        /* bad argument: a label outside the classes, a missing buffer */
} fqt_status;

const char *fqt_status_name(int status);

#endif
