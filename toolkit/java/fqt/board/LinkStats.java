package fqt.board;

/**
 * What a board's link has seen since it opened.
 *
 * @param requests  requests answered (each counted once, however often it was sent)
 * @param resends   requests sent again: after a NAK, a garbled answer or a timeout
 * @param timeouts  attempts that got no answer in time
 * @param badFrames frames received that failed a check (COBS, CRC, length), and NAKs: the board's own verdict on ours
 * @param bytesSent bytes written to the line
 * @param bytesReceived bytes read from the line
 */
public record LinkStats(long requests, long resends, long timeouts, long badFrames, long bytesSent, long bytesReceived) {
    @Override
    public String toString() {
        return requests + " requests, " + resends + " resends, " + timeouts + " timeouts, " + badFrames + " bad frames, "
                + bytesSent + " bytes sent, " + bytesReceived + " received";
    }
}
