package fqt.cli;

import fqt.nn.ErrorRange;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates.ErrorBy;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code ./fqt}: the command line of fqt-toolkit (picocli). */
@Command(name = "./fqt", synopsisSubcommandLabel = "COMMAND", usageHelpAutoWidth = true,
        description = "Fully quantized training for Cortex-M: simulate, deploy, measure.",
        subcommands = {TrainCommand.class, BenchCommand.class, ExperimentCommand.class, SweepCommand.class, ImportCommand.class, ExportCommand.class,
            BoardCommand.class, FirmwareCommand.class, MemoryCommand.class},
        footer = {"", "./fqt COMMAND --help shows a command's options. The launcher ./fqt itself also runs:",
            "  setup       install what is missing (apt packages, Maven dependencies), build, and the API reference (target/reports/apidocs)",
            "  test        install what is missing, then run every test (Maven Surefire)",
            "  quickstart  setup, then the quickstart notebook executed end to end (out/quickstart/)",
            "  check kernel [--starts N] [--deadline S]   start the notebook kernel N times (50) and report the slowest start"})
public final class Main implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    boolean help;

    @Spec CommandSpec spec;

    /** No command: the usage, as an error. */
    @Override
    public Integer call() {
        printHelp();
        return 2;
    }

    @Command(name = "help", description = "this help")
    int printHelp() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(commandLine().execute(args));
    }

    /**
     * The command tree with its converters, help texts and error handling: a bad command line or
     * a failure the user can fix prints one line {@code fqt: <message>} and exits with 2.
     */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.registerConverter(Precision.class, new CliEnum<>(Precision.class));
        cmd.registerConverter(Rounding.class, new CliEnum<>(Rounding.class));
        cmd.registerConverter(ErrorRange.class, new CliEnum<>(ErrorRange.class));
        cmd.registerConverter(ErrorBy.class, new CliEnum<>(ErrorBy.class));
        cmd.registerConverter(fqt.nn.Loss.class, new CliEnum<>(fqt.nn.Loss.class));
        cmd.registerConverter(fqt.nn.Gradients.class, new CliEnum<>(fqt.nn.Gradients.class));
        cmd.setResourceBundle(new HelpValues());
        cmd.setUsageHelpWidth(120);
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> commandList(help.commandSpec()));
        cmd.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("fqt: " + e.getMessage() + suggestions(e));
            return 2;
        });
        cmd.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof ArithmeticException
                    || e instanceof UncheckedIOException)) throw e;
            command.getErr().println("fqt: " + e.getMessage());
            return 2;
        });
        return cmd;
    }

    private static String suggestions(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException u) || u.getSuggestions().isEmpty()) return "";
        return " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
    }

    /** The command list of {@code ./fqt --help}: every command, a nested one by its full name ({@code bench device}). */
    private static String commandList(CommandSpec root) {
        Map<String, String> rows = new LinkedHashMap<>();
        collect(root, "", rows);
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        rows.forEach((name, text) -> sb.append(String.format("  %-" + width + "s  ", name)).append(text).append(System.lineSeparator()));
        return sb.toString();
    }

    /** Adds each command under {@code spec} that runs (not a group) with the first line of its description. */
    private static void collect(CommandSpec spec, String prefix, Map<String, String> rows) {
        for (CommandLine sub : spec.subcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (s.subcommands().isEmpty()) {
                String[] description = s.usageMessage().description();
                rows.put(prefix + s.name(), description.length > 0 ? description[0] : "");
            } else {
                collect(s, prefix + s.name() + " ", rows);
            }
        }
    }
}
