package fqt.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An enum on the command line: each constant by its name in lower case with '-' for '_' (UINT8 is
 * uint8, SAMPLE_LOSS is sample-loss); the Java name is accepted too.
 */
final class CliEnum<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    CliEnum(Class<E> type) {
        this.type = type;
    }

    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The names, as the help lists them: {@code floor|nearest|stochastic}. */
    String names() {
        return Arrays.stream(type.getEnumConstants()).map(CliEnum::name).collect(Collectors.joining("|"));
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (name(e).equalsIgnoreCase(value) || e.name().equalsIgnoreCase(value)) return e;
        }
        throw new TypeConversionException("'" + value + "' is not one of " + names());
    }
}
