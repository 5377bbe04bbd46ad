/**
 * Peers that need large native downloads and are compiled only with the Maven profile {@code peers}:
 * PyTorch's {@code scaled_dot_product_attention} on CPU through {@code org.bytedeco:pytorch}.
 */
package org.isentropic.benchmarks.peers;
