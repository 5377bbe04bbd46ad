/**
 * The checkpoints' file format: safetensors (a JSON header, read and written with the kernels' one JSON
 * reader/writer, then little-endian tensors).
 */
package org.isentropic.experiments.io;
