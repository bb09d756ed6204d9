/**
 * Sweeps on Apache Spark: {@link fqt.spark.SparkRunner} runs a {@link fqt.sweep.Sweep}'s grid as
 * Spark tasks, in this JVM ({@code local[N]}) or on a cluster ({@code spark://host:7077}). Built
 * only with Maven's {@code spark} profile (sources in {@code toolkit/spark}), so nothing else in
 * the toolkit loads Spark.
 */
package fqt.spark;
