#include "range_tracker.h"

void fqt_range_tracker_clear(fqt_range_tracker *t) {
    t->min = 1.0f;
    t->max = -1.0f;
}

int fqt_range_tracker_seen(const fqt_range_tracker *t) {
    return !(t->min > t->max);
}

void fqt_range_tracker_observe(fqt_range_tracker *t, float observed_min, float observed_max, float alpha) {
    if (!fqt_range_tracker_seen(t)) {
        t->min = observed_min;
        t->max = observed_max;
    } else {
        t->min = t->min + alpha * (observed_min - t->min);
        t->max = t->max + alpha * (observed_max - t->max);
    }
}

int fqt_range_tracker_params(const fqt_range_tracker *t, fqt_quant_params *out) {
    return fqt_quant_params_from_range(t->min, t->max, out);
}

void fqt_range_tracker_set(fqt_range_tracker *t, float min, float max) {
    t->min = min;
    t->max = max;
}
