/**
 * Chart building on XChart in the project's style (length axes in log2, the palette, dashed references,
 * heat maps) and the writing of each chart as a 150 dpi PNG and an SVG through the output policy.
 */
package org.isentropic.figures.charts;
