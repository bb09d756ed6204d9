/*
 * The training arena: one static RAM block, laid out exactly as firmware/ARENA.md specifies (the
 * contract of the Java memory plan, fqt.memory.Memory.plan), so the size reported here equals
 * MemoryPlan.ramBytes() to the byte.
 */
#ifndef FQT_ARENA_H
#define FQT_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"
#include "train.h"

/*
 * Places the RAM buffers of training model m with t->config: sets the layers' and tensors'
 * buffer pointers, the contexts' scratch and the selector's buffers. With base NULL it only
 * measures. Returns the arena size in bytes. Parameters the plan keeps in Flash are left for the
 * blob loader to point at.
 */
size_t fqt_arena_layout(fqt_model *m, fqt_trainer *t, uint8_t *base);

#endif
