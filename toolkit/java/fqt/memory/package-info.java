/**
 * The device's memory in bytes: {@link fqt.memory.Memory#plan} turns a model and its training
 * settings into a {@link fqt.memory.MemoryPlan}, the RAM arena as an ordered list of named
 * {@link fqt.memory.Buffer}s (offsets, sizes, alignment) plus the model data in Flash. The layout
 * rule is the contract of {@code firmware/ARENA.md}: the firmware allocates the same arena and
 * reports the same size to the byte.
 */
package fqt.memory;
