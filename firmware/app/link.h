/* The serial line: the board's side of the framed protocol of firmware/proto/ (PROTOCOL.md) on
 * the board's UART. The host speaks first and the board only answers: QEMU drops what the guest
 * sends before the host has opened the pseudo-terminal. */
#ifndef FQT_LINK_H
#define FQT_LINK_H

/* Answers the host's requests through dispatch(), one at a time, forever. */
void link_serve(void);

#endif
