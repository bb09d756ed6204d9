/**
 * Boards the toolkit talks to: QEMU's virtual Cortex-M boards ({@link fqt.board.Boards#virtual})
 * and real boards on a serial port ({@link fqt.board.Boards#serial}), both answering the firmware
 * in {@code firmware/app/}. The only package that sees jSerialComm and starts QEMU.
 *
 * <p>The host always speaks first and the board only answers: QEMU drops what the guest sends
 * before the host has opened its pseudo-terminal. Opening a board therefore sends an echo with a
 * fresh nonce until the matching answer arrives, which also skips anything stale on the line.
 */
package fqt.board;
