/**
 * The {@code isentropic} command (picocli): one class per subcommand, the option groups they share as mixins
 * ({@code OutputOptions}, {@code SeedOption}, {@code FigureRunOptions}, {@code LengthSweepOptions}), the checks
 * that name an option as typed ({@code OptionChecks}) and the up-front memory refusal ({@code MemoryLimit}).
 * Data goes to stdout, logs and progress to stderr; exit 2 for bad input, 1 for a failure while running.
 */
package org.isentropic.cli;
