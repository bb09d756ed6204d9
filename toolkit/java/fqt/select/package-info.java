/**
 * Dynamic partial gradient updates (method section 4): {@link fqt.select.PartialUpdates} configures
 * the budget, {@link fqt.select.Select} holds the arithmetic the firmware mirrors (magnitudes,
 * budget, deterministic top-k). Uses {@code fqt.nn} only; {@code fqt.train} installs a selector per run.
 */
package fqt.select;
