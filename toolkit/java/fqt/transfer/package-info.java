/**
 * Transfer-learning scenarios: pretrain a float model on a source task with the toolkit's own
 * FLOAT32 training, fine-tune a quantized copy on a target task (usually {@code trainLast(n)}, with
 * or without partial or bias-only updates) and measure both tasks, so forgetting shows.
 *
 * <p>A package of its own, above {@code fqt.train}: a scenario combines data sets, models and two
 * trainings, knowledge {@code fqt.train} itself does not need; training stays one concept.
 */
package fqt.transfer;
