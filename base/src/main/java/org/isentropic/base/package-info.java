/**
 * What every module shares and none of them is about, JDK only and below every other module: the project's
 * seed and its sub-seeds ({@link org.isentropic.base.Seeds}), the JSON every module writes and reads
 * ({@link org.isentropic.base.Json}), the table that prints as CSV, Markdown or JSON
 * ({@link org.isentropic.base.Table}, {@link org.isentropic.base.OutputFormat}), the output policy for files
 * (checked before any work, written to a temporary name and renamed into place:
 * {@link org.isentropic.base.OutputFiles}), the stderr progress bar ({@link org.isentropic.base.Progress}) and
 * the project version ({@link org.isentropic.base.ProjectVersion}); and the one vocabulary that the theory's logit
 * models and the kernels both name and that neither may take from the other, {@link org.isentropic.base.LogitKind}.
 */
package org.isentropic.base;
