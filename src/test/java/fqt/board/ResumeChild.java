package fqt.board;

import java.nio.file.Path;

/**
 * A host process for {@link ResumeTest}: deploys {@link DeviceTest#training()} on a virtual M4,
 * trains {@link DeviceTest#TRAIN} for one epoch with its CSV at {@code args[0]} and checkpoints
 * every 40 samples, and is killed by the test mid-run.
 */
public final class ResumeChild {
    public static void main(String[] args) {
        try (Board board = Boards.virtual(CortexM.M4)) {
            Device dev = board.deploy(DeviceTest.training(), DeviceTest.TRAIN).csv(Path.of(args[0])).progress(null).checkpointEvery(40);
            dev.train(DeviceTest.TRAIN, 1);
        }
    }
}
