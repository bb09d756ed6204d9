/**
 * The DJL/PyTorch float baseline: the same small CNN as the toolkit's own engine, trained with
 * DJL's training API on libtorch, so the benchmark ({@code ./fqt bench train}) can set the
 * toolkit's training speed and accuracy against a mainstream float framework.
 *
 * <p>This is the only package that sees DJL ({@code ai.djl.*}). Everything else in the toolkit
 * talks to it through plain Java types ({@link fqt.data.Dataset}, arrays, records), so DJL and its
 * 450 MB libtorch stay an optional, replaceable dependency.
 *
 * <p>DJL runs offline here: the native libtorch comes from the {@code pytorch-native-cpu} jar and
 * {@link fqt.djl.Torch#engine()} sets {@code ai.djl.offline=true} before the engine loads.
 */
package fqt.djl;
