package fqt.kernel;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 (pinned: the only version Maven Central serves here) as its
 * {@code MainApp} does, without its two start-up races, either of which leaves a kernel that never
 * answers:
 * <ul>
 *   <li>{@code LoopThread.start()} starts the thread, then sets {@code running}: a thread that
 *       checks the flag first ends at once, silently. Here every channel loop is replaced, once
 *       connected, by one whose flag is set before it starts.</li>
 *   <li>{@code Channels.connect} starts the loops before it creates the handler map: a request
 *       read in that window (Jupyter queues kernel_info_request before the kernel binds) meets a
 *       null map and the NullPointerException ends the shell loop. Here the map exists first, so
 *       such a request is only dropped ("Unhandled message") and Jupyter's resend a second later
 *       is answered.</li>
 * </ul>
 * The fields touched are private to 3.0.1; a kernel of another version fails here by name.
 * Built by {@code scripts/install-kernel.sh} against the kernel jar, apart from the toolkit's
 * classes (those are on the notebook's JShell classpath, not this JVM's).
 */
public final class KernelLauncher {
    private KernelLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) throw new IllegalArgumentException("usage: KernelLauncher CONNECTION_FILE");
        long t0 = System.nanoTime();
        LogManager.getLogManager().readConfiguration(MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        ConnectionProperties props = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        Channels channels = new Channels(props);
        field(Channels.class, "handlers").set(channels, new ConcurrentHashMap<>());
        channels.connect(MainApp.kernel); // MainApp's static initializer builds the kernel and its JShell
        for (String channel : new String[] {"heartbeat", "shell", "control"}) restartLoop(field(Channels.class, channel).get(channels));
        System.err.printf("fqt kernel: ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        channels.joinUntilClose();
    }

    /** Ends the channel's loop thread after its current turn and starts an equal one that cannot miss its flag. */
    private static void restartLoop(Object channel) throws Exception {
        Field loop = field(channel.getClass(), "loopThread");
        Field running = field(LoopThread.class, "running");
        LoopThread old = (LoopThread) loop.get(channel);
        running.setBoolean(old, false);
        old.join();
        LoopThread fresh = new LoopThread(old.getName(), field(LoopThread.class, "sleep").getLong(old),
                (Runnable) field(LoopThread.class, "loopBody").get(old));
        fresh.setContextClassLoader(old.getContextClassLoader()); // the display providers load through it
        fresh.setDaemon(old.isDaemon());
        running.setBoolean(fresh, true);
        loop.set(channel, fresh);
        fresh.start();
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
