#include "fqt_status.h"

const char *fqt_status_name(int status) {
    switch (status) {
    case FQT_OK: return "ok";
    case FQT_ERR_TRUNCATED: return "truncated";
    case FQT_ERR_MAGIC: return "bad magic";
    case FQT_ERR_VERSION: return "unsupported version";
    case FQT_ERR_SIZE: return "size mismatch";
    case FQT_ERR_CRC: return "crc mismatch";
    case FQT_ERR_CONFIG: return "bad training config";
    case FQT_ERR_LAYER: return "bad layer";
    case FQT_ERR_PARAMS: return "bad quantization params or weights";
    case FQT_ERR_TOO_MANY_LAYERS: return "too many layers";
    case FQT_ERR_ARENA: return "arena too small";
    case FQT_ERR_NONFINITE: return "non-finite value";
    case FQT_ERR_INPUT: return "bad input";
    default: return "unknown status";
    }
}
