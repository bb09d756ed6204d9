package fqt.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code ./fqt bench}, {@code ./fqt board}, ...): run alone, it names them. */
abstract class CommandGroup implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "./fqt " + spec.name() + " needs a command: "
                + String.join(", ", spec.subcommands().keySet()) + " (./fqt " + spec.name() + " --help)");
    }
}
