package fqt.board;

import fqt.wire.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A board answered a request with a status other than OK; {@link #status()} is one of the
 * {@code ERR_} codes of {@link Messages}, {@link #detail()} its number (the capacity for
 * {@link Messages#ERR_CAPACITY}, the core's fqt_status for {@link Messages#ERR_REFUSED}...).
 */
public final class BoardStatusException extends UncheckedIOException {
    private final int status;
    private final int detail;

    BoardStatusException(String message, int status, int detail) {
        super(message, new IOException(message));
        this.status = status;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public int detail() {
        return detail;
    }
}
