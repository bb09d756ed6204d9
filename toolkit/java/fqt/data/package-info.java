/**
 * Data sets for training and evaluation, held in memory as {@link fqt.data.Dataset}: float32
 * samples of shape {@code {channels, height, width}} with integer class labels, paired into a
 * {@link fqt.data.DataSplit} of training and test set.
 *
 * <p>Readers, all using only the JDK, all checking their input and naming the offending file,
 * position and expected versus actual values when it is wrong:
 * <ul>
 *   <li>{@link fqt.data.Idx}: IDX files of the MNIST family, plain or gzip.</li>
 *   <li>{@link fqt.data.FashionMnist}: Fashion-MNIST, by default from Debian's package
 *       {@code dataset-fashion-mnist}; {@link fqt.data.MnistFamily}: MNIST, KMNIST, EMNIST.</li>
 *   <li>{@link fqt.data.Cifar10}: the binary batches of CIFAR-10.</li>
 *   <li>{@link fqt.data.CsvWindows}: windows of multichannel time series (sensor data) from CSV,
 *       with optional per-channel standardization.</li>
 * </ul>
 * Image pixels are scaled from 0..255 to [0, 1].
 */
package fqt.data;
