package fqt.board;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;

/** A board did not answer a request in time; the message names the port and the request. */
public final class BoardTimeoutException extends UncheckedIOException {
    BoardTimeoutException(String message) {
        super(message, new InterruptedIOException(message));
    }
}
