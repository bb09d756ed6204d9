package fqt.cli;

/** {@code ./fqt}: the command line of fqt-toolkit. */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: ./fqt COMMAND [options]
              train        train a model in FLOAT32, MIXED or UINT8 and print its metrics
              bench train  training throughput per precision next to DJL's PyTorch engine
              bench device instructions per training sample, phase and MAC on the QEMU virtual boards
              experiment partial-updates   the paper's partial-update experiment (transfer learning)
              sweep        a grid of training runs, one CSV line per finished run; a rerun resumes
              import       a TorchScript model: verify against DJL, float and uint8 (PTQ) test accuracy
            ./fqt COMMAND --help shows a command's options.
            """;

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException | java.io.UncheckedIOException e) {
            System.err.println("fqt: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        boolean help = java.util.Arrays.asList(args).contains("--help");
        return switch (args[0]) {
            case "train" -> help ? print(TrainCommand.HELP) : TrainCommand.run(args);
            case "bench" -> help ? print(BenchCommand.HELP) : BenchCommand.run(args);
            case "firmware" -> help ? print(FirmwareCommand.HELP) : FirmwareCommand.run(args);
            case "board" -> help ? print(BoardCommand.HELP) : BoardCommand.run(args);
            case "experiment" -> help ? print(ExperimentCommand.HELP) : ExperimentCommand.run(args);
            case "sweep" -> help ? print(SweepCommand.HELP) : SweepCommand.run(args);
            case "import" -> help ? print(ImportCommand.HELP) : ImportCommand.run(args);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
        };
    }

    private static int print(String s) {
        System.out.print(s);
        return 0;
    }
}
