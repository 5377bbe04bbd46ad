/**
 * Temperature rules: the factor on the logits as a function of n. One registry ({@link
 * org.isentropic.theory.rules.TemperatureRules}); formulas and sources in docs/theory.md section 2.
 */
package org.isentropic.theory.rules;
