package fqt.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on the loopback address, from Spark's own launcher classes: a
 * master process and worker processes ({@code org.apache.spark.deploy.master.Master},
 * {@code ...worker.Worker}), each a JVM of this test's class path with Spark's module flags. A
 * worker starts executors as Spark does, through its command builder, which needs a Spark home:
 * here an empty directory with {@code jars/} (the executors' classes come from
 * {@code spark.executor.extraClassPath}, see {@link SparkRunner}).
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    StandaloneCluster(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("spark-home/jars"));
        port = freePort();
        master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--webui-port", Integer.toString(freePort()));
        awaitLog("master", "I have been elected leader", 60);
    }

    String url() { return "spark://127.0.0.1:" + port; }

    /** Starts a worker with {@code cores} cores and waits until the master has it. */
    Process startWorker(int cores) throws IOException, InterruptedException {
        String name = "worker" + workers.size();
        Process w = start(name, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", Integer.toString(cores),
                "--memory", "3g", "--work-dir", dir.resolve(name + "-work").toString(), "--webui-port", Integer.toString(freePort()), url());
        workers.add(w);
        awaitLog(name, "Successfully registered with master", 60);
        return w;
    }

    /** Kills a worker process at once (SIGKILL), as a crashed machine would go; its executors notice and exit. */
    void kill(Process worker) throws InterruptedException {
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
        worker.waitFor(30, TimeUnit.SECONDS);
    }

    String log(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".log"));
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        cmd.addAll(SparkRunner.moduleFlags());
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.spark=info"); // the toolkit's logging keeps Spark at errors; the logs here are read
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void awaitLog(String name, String line, int seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Path f = dir.resolve(name + ".log");
            if (Files.exists(f) && Files.readString(f).contains(line)) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("Spark " + name + " did not say '" + line + "' in " + seconds + " s; its log:\n" + log(name));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process w : workers) kill(w);
        master.destroyForcibly();
        master.waitFor(30, TimeUnit.SECONDS);
    }
}
