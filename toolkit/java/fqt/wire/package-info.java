/**
 * What goes over the wire to a board: the framed protocol ({@link fqt.wire.Frame}: COBS
 * framing, {@link fqt.wire.Crc32c}, header with version, type, sequence number and length; the
 * payloads of {@link fqt.wire.Messages}) and the model blob ({@link fqt.wire.ModelBlob}). Each
 * class mirrors a C file of {@code firmware/proto/} (the blob: {@code firmware/core/model_blob.c});
 * the specification is {@code firmware/proto/PROTOCOL.md}, and {@code testdata/wire/vectors.txt}
 * holds the bytes both sides are tested against.
 */
package fqt.wire;
