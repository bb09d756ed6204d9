/**
 * Grids of training runs: {@link fqt.sweep.Sweep} expands training options into independent,
 * serializable {@link fqt.sweep.SweepTask}s (options in, one result row out), runs them on a local
 * thread pool with a progress bar, appends each row to a CSV as it finishes and resumes an
 * interrupted sweep from that CSV; {@link fqt.sweep.Sweep#table()} gives the results with the
 * memory plan's RAM and Flash bytes of each run.
 */
package fqt.sweep;
