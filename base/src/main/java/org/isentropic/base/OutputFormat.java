package org.isentropic.base;

/** How a command writes its table to stdout. */
public enum OutputFormat {
    /** Comma-separated values with one header row. */
    csv,
    /** A Markdown table. */
    md,
    /** A JSON array of objects, one per row. */
    json
}
