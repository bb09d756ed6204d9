package fqt.sweep;

import fqt.data.DataSplit;
import fqt.nn.Model;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** {@link SweepRunner#threads}: the tasks on a fixed thread pool; a run that throws ends the sweep with its error. */
record ThreadRunner(int threads) implements SweepRunner {
    @Override
    public void run(List<SweepTask> tasks, Model model, DataSplit data, Consumer<Map<String, String>> done) {
        if (tasks.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CompletionService<Map<String, String>> cs = new ExecutorCompletionService<>(pool);
            for (SweepTask t : tasks) cs.submit(() -> t.run(model, data));
            for (int i = 0; i < tasks.size(); i++) done.accept(cs.take().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("a sweep run failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public String describe() { return threads + " thread" + (threads == 1 ? "" : "s"); }
}
