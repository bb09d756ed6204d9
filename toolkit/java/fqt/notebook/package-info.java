/**
 * Notebook glue: display renderers for the toolkit's result types, registered with the Java
 * kernel's display extension point (see scripts/install-kernel.sh). Nothing else depends on it.
 */
package fqt.notebook;
