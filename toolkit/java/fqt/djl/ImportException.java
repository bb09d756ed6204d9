package fqt.djl;

/**
 * A model that cannot be imported as it is: an unreadable or truncated file, an operator or block
 * the toolkit has no layer for, parameters that do not fit the declared architecture, BatchNorm
 * statistics that are missing. The message names the file, the layer or block and its position.
 * An {@link IllegalArgumentException}: the input is at fault, not the program.
 */
public final class ImportException extends IllegalArgumentException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
