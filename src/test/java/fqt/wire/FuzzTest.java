package fqt.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 5's fuzzing in the default suite: each libFuzzer target of firmware/fuzz/ (clang) runs
 * {@value #SECONDS} s from its committed seeds and must end without a crash; longer runs:
 * {@code make -C firmware/fuzz run FUZZ_SECONDS=600}.
 */
class FuzzTest {
    static final int SECONDS = 20;

    @ParameterizedTest
    @ValueSource(strings = {"frame", "model_blob"})
    void runsWithoutACrash(String target) throws Exception {
        ProtoCTest.Result r = ProtoCTest.make("fuzz", "run-" + target, "FUZZ_SECONDS=" + SECONDS);
        assertFalse(r.output().contains("clang: not found") || r.output().contains("clang: No such file"),
                "clang is missing: install it (Debian: apt-get install clang libclang-rt-dev, or ./fqt setup)");
        assertEquals(0, r.status(), "fuzz target " + target + " failed (its input is under firmware/build/fuzz/):\n" + tail(r.output()));
        Matcher runs = Pattern.compile("stat::number_of_executed_units: (\\d+)").matcher(r.output());
        assertTrue(runs.find(), r.output());
        System.out.println("fuzz " + target + ": " + runs.group(1) + " inputs in " + SECONDS + " s, no crash");
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
    }
}
