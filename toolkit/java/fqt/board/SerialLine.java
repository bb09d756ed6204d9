package fqt.board;

import com.fazecast.jSerialComm.SerialPort;
import java.util.function.Supplier;

/** A serial port (pseudo-terminals included) at 115200 8N1, through jSerialComm. */
final class SerialLine implements Line {
    /** One read waits at most this long, so callers check their deadlines often. */
    private static final int POLL_MILLIS = 50;

    private final SerialPort port;
    private final String path;
    private final Supplier<String> context;

    /** Opens {@code path}; {@code context} adds words to error messages (for example that QEMU has exited). */
    SerialLine(String path, Supplier<String> context) {
        this.path = path;
        this.context = context;
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
            throw new IllegalArgumentException("no serial port " + path + ": is the board plugged in? ./fqt board list shows the ports");
        }
        port = SerialPort.getCommPort(path);
        port.setComPortParameters(115200, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, POLL_MILLIS, 0);
        // Only the result counts: on a pseudo-terminal openPort() succeeds but may leave ENOTTY as last error.
        if (!port.openPort()) {
            throw Link.ioError("cannot open serial port " + path + " (error " + port.getLastErrorCode()
                    + "; is it present, readable and writable by you, and not held by another program?)");
        }
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = port.readBytes(b, len, off);
        if (n < 0) throw Link.ioError("reading from " + path + " failed (error " + port.getLastErrorCode() + ")" + context.get());
        return n;
    }

    @Override
    public void write(byte[] b) {
        if (port.writeBytes(b, b.length) != b.length) {
            throw Link.ioError("writing to " + path + " failed (error " + port.getLastErrorCode() + ")" + context.get());
        }
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void close() {
        port.closePort();
    }
}
