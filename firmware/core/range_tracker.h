/*
 * Mirrors fqt.quant.RangeTracker: a tensor's real range, blended in with rate alpha:
 * min = min + alpha * (observed - min); the first observation is taken as it is.
 * 8 bytes, as the memory plan counts it: "not seen yet" is the empty range min > max (every
 * observation has min <= max), set by fqt_range_tracker_clear.
 */
#ifndef FQT_RANGE_TRACKER_H
#define FQT_RANGE_TRACKER_H

#include <stdint.h>
#include "quant_params.h"

typedef struct {
    float min;
    float max;
} fqt_range_tracker;

void fqt_range_tracker_clear(fqt_range_tracker *t);
int fqt_range_tracker_seen(const fqt_range_tracker *t);
void fqt_range_tracker_observe(fqt_range_tracker *t, float observed_min, float observed_max, float alpha);
/* fqt_quant_params_from_range of the tracked range (callers check seen, where Java would throw). */
int fqt_range_tracker_params(const fqt_range_tracker *t, fqt_quant_params *out);
void fqt_range_tracker_set(fqt_range_tracker *t, float min, float max);

#endif
