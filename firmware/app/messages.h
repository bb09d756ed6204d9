/* Request types and response statuses the board application understands.
 * Mirrored in Java by fqt.board.Link; keep both sides in step. */
#ifndef FQT_MESSAGES_H
#define FQT_MESSAGES_H

/* Request types. */
#define MSG_INFO 0x01u /* no payload; answer: see dispatch.c */
#define MSG_ECHO 0x02u /* any payload; answer: the same bytes */

/* Response statuses. */
#define STATUS_OK 0x00u
#define STATUS_UNKNOWN_TYPE 0x01u
#define STATUS_TOO_LONG 0x02u

#endif
