/**
 * Logit models: a random query against n random keys (sphere, Gaussian, anisotropic Gaussian, planted
 * focus), with direct samplers of the logits and the laws the large-n forms need. docs/theory.md section 3.
 */
package org.isentropic.theory.models;
