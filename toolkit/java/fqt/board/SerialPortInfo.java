package fqt.board;

/** A serial port that may have a board on it: its path (for {@link Boards#serial}) and the system's description. */
public record SerialPortInfo(String path, String description) {
    @Override
    public String toString() {
        return path + "  " + description;
    }
}
