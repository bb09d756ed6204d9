/**
 * Boards the toolkit talks to: QEMU's virtual Cortex-M boards ({@link fqt.board.Boards#virtual})
 * and real boards on a serial port ({@link fqt.board.Boards#serial}), both answering the firmware
 * in {@code firmware/app/}. The only package that sees jSerialComm and starts QEMU.
 *
 * <p>They speak the framed protocol of {@code firmware/proto/PROTOCOL.md} ({@link fqt.wire}):
 * {@code Link} is the host's side. The host always speaks first and the board only
 * answers: QEMU drops what the guest sends before the host has opened its pseudo-terminal, so
 * opening a board sends HELLO until it is answered. Requests whose answer is lost or garbled are
 * resent and answered exactly once; {@code Boards.virtual(core, faults)} puts a
 * relay that drops, corrupts and delays bytes between host and board to show it.
 *
 * <p>Training on a board: {@link fqt.board.Board#deploy} puts a model on it and returns a
 * {@link fqt.board.Device} that trains there in the simulator's sample order, logs what the board
 * measures, resumes from checkpoints after a crash and reads the model back ({@link fqt.board.Compare}
 * checks it against the simulator's). It lives here, not in a package of its own, because resuming
 * restarts the board's QEMU and resends through the link, both private to this package.
 */
package fqt.board;
