/**
 * The machine's measured limits that every kernel figure is a fraction of: the FP32 fused-multiply-add
 * peak of the Vector API's preferred species and the memory read bandwidth, each as a direct probe and as
 * a JMH benchmark, on 1 thread and on all processors.
 */
package org.isentropic.benchmarks.peak;
