/**
 * Below every command and the report: the table that prints as CSV, Markdown or JSON, the output formats,
 * the output policy for files (checked before any work, written to a temporary name and renamed into place),
 * the stderr progress bar and the project version.
 */
package org.isentropic.figures.output;
