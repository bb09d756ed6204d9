/**
 * Figures with XChart: {@link fqt.plot.Charts} builds them (training curves, accuracy vs update
 * ratio, backward speedup, memory breakdown, operations per layer), {@link fqt.plot.Plots} renders
 * them to {@link java.awt.image.BufferedImage}s and saves PNG or SVG.
 */
package fqt.plot;
