/**
 * The text the experiment trains and evaluates on: the character vocabulary, the corpus of documents and its
 * split into training, calibration and held-out test documents.
 */
package org.isentropic.experiments.corpus;
