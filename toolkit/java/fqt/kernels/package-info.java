/**
 * The arithmetic specification: static, allocation-free kernels on flat arrays, one class per
 * layer and type ({@code F32} float32, {@code U8} uint8 data and errors, {@code U8F32} the MIXED
 * mode: uint8 weights and features, float32 errors). {@code firmware/core/} mirrors these file for
 * file, with the same loop order, so float results agree bit for bit.
 *
 * <p>Conventions: uint8 values live in Java's signed {@code byte} and are read as {@code b & 0xFF};
 * integer accumulators are int32; backward kernels take the selected output structures
 * {@code sel[0..nSel)} (partial updates) and touch nothing for the others. Weight-gradient kernels
 * add into the caller's float32 gradient buffers (a batch is a sum of samples), one row per
 * structure. The C kernels take one more argument, {@code row0}, the structure of a one-row buffer:
 * the device computes one structure's gradient at a time into a scratch row, where the host
 * computes the selected structures' gradients in one call into working memory (the same values).
 */
package fqt.kernels;
