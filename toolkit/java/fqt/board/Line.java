package fqt.board;

/** A byte stream to a board: a serial port ({@link SerialLine}) or a relay that injects faults ({@link FaultyLine}). */
interface Line extends AutoCloseable {
    /** Reads what has arrived into {@code b[off, off + len)}, waiting at most about 50 ms; returns the count, 0 for none. */
    int read(byte[] b, int off, int len);

    void write(byte[] b);

    /** The port's path, for messages. */
    String path();

    @Override
    void close();
}
