package fqt.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The generated help of {@code ./fqt}: every registered command in it, every option of a command in its own help. */
class CliHelpTest {
    /** What a command line prints to stdout, and its exit code. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Every command that runs, by its full name below ./fqt ("bench device"), found by walking the registered tree. */
    static List<CommandSpec> leaves(CommandSpec spec) {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandLine sub : spec.subcommands().values()) {
            if (sub.getSubcommands().isEmpty()) all.add(sub.getCommandSpec());
            else all.addAll(leaves(sub.getCommandSpec()));
        }
        return all;
    }

    static String fullName(CommandSpec c) {
        return c.qualifiedName(" ").substring("./fqt ".length());
    }

    @Test
    void theHelpListsEveryRegisteredCommandAndTheLaunchersOwn() {
        Run help = run("--help");
        assertEquals(0, help.code());
        List<String> lines = help.out().lines().map(String::strip).toList();
        List<CommandSpec> commands = leaves(Main.commandLine().getCommandSpec());
        for (CommandSpec c : commands) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(fullName(c) + "  ")), fullName(c) + " missing from:\n" + help.out());
        }
        Set<String> names = commands.stream().map(CliHelpTest::fullName).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("train", "bench train", "bench device", "experiment partial-updates", "sweep", "import",
                "board list", "board info", "board train", "firmware build", "export")), names.toString());
        for (String launcher : List.of("setup", "test", "quickstart", "check kernel")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(launcher + " ")), launcher + " missing from the footer");
        }
        assertEquals(help.out(), run("help").out(), "./fqt help prints the same");
    }

    @Test
    void eachCommandsHelpShowsEachOfItsOptions() {
        for (CommandSpec c : leaves(Main.commandLine().getCommandSpec())) {
            List<String> args = new ArrayList<>(List.of(fullName(c).split(" ")));
            args.add("--help");
            Run help = run(args.toArray(String[]::new));
            assertEquals(0, help.code(), fullName(c));
            for (OptionSpec o : c.options()) {
                String name = o.negatable() ? "--[no-]" + o.longestName().substring(2) : o.longestName(); // --[no-]full-head
                assertTrue(help.out().contains(name), fullName(c) + " help lacks " + name);
            }
            assertFalse(help.out().contains("${"), "an unresolved variable in the help of " + fullName(c) + ":\n" + help.out());
            assertFalse(help.out().contains("null"), "a default shown as null in the help of " + fullName(c) + ":\n" + help.out());
        }
    }

    @Test
    void trainAndBoardTrainShareEveryTrainingOption() {
        CommandSpec root = Main.commandLine().getCommandSpec();
        CommandSpec mixin = CommandSpec.forAnnotatedObject(new TrainingMixin());
        Set<String> training = mixin.options().stream().map(OptionSpec::longestName).collect(Collectors.toSet());
        assertEquals(Set.of("--precision", "--optimizer", "--lr", "--rounding", "--error-range", "--alpha-a", "--alpha-e", "--calibration",
                "--batch", "--epochs", "--seed", "--train-last", "--bias-only", "--lambda-min", "--lambda-max", "--error-by", "--full-head", "--loss",
                "--gradients"),
                training);
        for (String command : List.of("train", "board train")) {
            CommandSpec c = leaves(root).stream().filter(s -> fullName(s).equals(command)).findFirst().orElseThrow();
            Set<String> options = c.options().stream().map(OptionSpec::longestName).collect(Collectors.toSet());
            assertTrue(options.containsAll(training), command + " lacks some of " + training);
        }
    }
}
