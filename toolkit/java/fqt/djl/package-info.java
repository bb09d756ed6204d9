/**
 * DJL and PyTorch at the toolkit's edge: the float baseline and the import of float models.
 *
 * <ul>
 *   <li>{@link fqt.djl.TorchBaseline}: the toolkit's small CNN (or any DJL block, e.g.
 *       {@link fqt.djl.DjlModels#smallCnnBn}) trained with DJL's training API on libtorch, for the
 *       benchmark ({@code ./fqt bench train}) and for float pretraining in Java.</li>
 *   <li>{@link fqt.djl.Import}: a DJL block tree or a TorchScript file becomes a toolkit float model
 *       with BatchNorm folded ({@link fqt.djl.ImportedModel}), checked output by output against DJL
 *       ({@link fqt.djl.ImportedModel#verify}).</li>
 *   <li>{@link fqt.djl.Quantize}: post-training quantization to the method's uint8 per-tensor scheme,
 *       with a report of float versus uint8 accuracy and per-layer error.</li>
 * </ul>
 *
 * <p>This is the only package that sees DJL ({@code ai.djl.*}). Everything else in the toolkit
 * talks to it through plain Java types ({@link fqt.data.Dataset}, {@link fqt.nn.Model}, arrays,
 * records), so DJL and its 450 MB libtorch stay an optional, replaceable dependency.
 *
 * <p>DJL runs offline here: the native libtorch comes from the {@code pytorch-native-cpu} jar and
 * {@link fqt.djl.Torch#engine()} sets {@code ai.djl.offline=true} before the engine loads.
 */
package fqt.djl;
