"""One attention head for `isentropic conform`: .npy input and output, and the attention itself.

Reads q (n x d), k (n x d) and v (n x dv) from float32 or float64 .npy files and writes the output
O (n x dv) as a float32 .npy file. The logits of row i are

    z_ij = lambda(n) * q_i . k_j / sqrt(d)          (dot)
    z_ij = lambda(n) * s * cos(q_i, k_j)            (cosine; a zero vector has cosine 0 with every key)

with lambda the temperature rule of the kernel script that imports this module, and n the sequence
length for every row (also under the causal mask: the paper's reference implementation). Row i attends
every key (full) or the keys j <= i (causal); O_i = sum_j softmax(z_i)_j v_j.

Two implementations of the same formulas:
- with NumPy (when it imports): float32 throughout, as a production kernel would compute;
- in plain Python (no NumPy, or --no-numpy): float64 lists, O(n^2 d) loops; slower, same results
  within float32 rounding. The .npy files are read and written with the struct module either way.
"""

import argparse
import ast
import math
import struct
import sys

try:
    import numpy
except ImportError:  # the plain-Python path below needs nothing else
    numpy = None


# ---------------------------------------------------------------- .npy version 1.0, 2-D, C order

def read_npy(path):
    """Returns (rows, cols, values) of a 2-D float32/float64 little-endian C-order .npy file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        raise ValueError(path + ": not a .npy file")
    major = data[6]
    if major == 1:
        (header_len,) = struct.unpack("<H", data[8:10])
        start = 10
    elif major in (2, 3):
        (header_len,) = struct.unpack("<I", data[8:12])
        start = 12
    else:
        raise ValueError(path + ": unsupported .npy version %d" % major)
    header = ast.literal_eval(data[start:start + header_len].decode("latin1"))  # a Python dict literal
    descr, shape = header["descr"], tuple(header["shape"])
    if header["fortran_order"] or len(shape) != 2:
        raise ValueError(path + ": need a 2-D C-order array, got shape %s" % (shape,))
    codes = {"<f4": "f", "<f8": "d", "|f4": "f", "|f8": "d"}
    if descr not in codes:
        raise ValueError(path + ": need little-endian float32 or float64, got " + descr)
    rows, cols = shape
    count = rows * cols
    values = struct.unpack_from("<%d%s" % (count, codes[descr]), data, start + header_len)
    return rows, cols, list(values)


def write_npy(path, rows, cols, values):
    """Writes a float32 (rows x cols) .npy file, version 1.0, from a flat row-major list or a NumPy array."""
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, cols)
    pad = 64 - (10 + len(header) + 1) % 64  # magic + version + length + header + newline: a multiple of 64
    header = header + " " * (pad % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        if numpy is not None and isinstance(values, numpy.ndarray):
            f.write(values.astype("<f4").tobytes())
        else:
            f.write(struct.pack("<%df" % len(values), *values))


# ---------------------------------------------------------------- attention, NumPy (float32)

def attend_numpy(q, k, v, factor, causal, cos_scale):
    n, d = q.shape
    if cos_scale is None:
        scale = factor / math.sqrt(d)
    else:
        q = q / _norms(q)
        k = k / _norms(k)
        scale = cos_scale * factor
    z = (q @ k.T) * numpy.float32(scale)
    if causal:
        z[numpy.triu_indices(n, 1)] = -numpy.inf
    z -= z.max(axis=1, keepdims=True)  # the largest logit of each row becomes 0: exp cannot overflow
    p = numpy.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return p @ v


def _norms(x):
    norm = numpy.sqrt((x * x).sum(axis=1, keepdims=True))
    return numpy.where(norm > 0, norm, numpy.float32(1))  # a zero vector stays zero


# ---------------------------------------------------------------- attention, plain Python (float64)

def attend_plain(n, d, dv, q, k, v, factor, causal, cos_scale):
    rows_q = [q[i * d:(i + 1) * d] for i in range(n)]
    rows_k = [k[j * d:(j + 1) * d] for j in range(n)]
    if cos_scale is None:
        scale = factor / math.sqrt(d)
    else:
        rows_q = [_unit(r) for r in rows_q]
        rows_k = [_unit(r) for r in rows_k]
        scale = cos_scale * factor
    out = []
    for i in range(n):
        qi = rows_q[i]
        keys = range(i + 1) if causal else range(n)
        z = [scale * sum(a * b for a, b in zip(qi, rows_k[j])) for j in keys]
        top = max(z)
        e = [math.exp(x - top) for x in z]
        total = sum(e)
        acc = [0.0] * dv
        for j, w in zip(keys, e):
            vj = v[j * dv:(j + 1) * dv]
            for c in range(dv):
                acc[c] += w * vj[c]
        out.extend(a / total for a in acc)
    return out


def _unit(x):
    norm = math.sqrt(sum(a * a for a in x))
    return [a / norm for a in x] if norm > 0 else list(x)


# ---------------------------------------------------------------- command line

def main(factor_of, description):
    """Runs a kernel script: factor_of(n, N, d) is its temperature rule."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("q")
    parser.add_argument("k")
    parser.add_argument("v")
    parser.add_argument("out")
    parser.add_argument("train_length", type=int, metavar="N", help="training length N")
    parser.add_argument("--causal", action="store_true", help="row i attends keys j <= i")
    parser.add_argument("--cosine", type=float, metavar="S", help="cosine logits with scale S (CosScale)")
    parser.add_argument("--no-numpy", action="store_true", help="use the plain-Python implementation")
    args = parser.parse_args()

    use_numpy = numpy is not None and not args.no_numpy
    if use_numpy:
        q, k, v = (numpy.load(path).astype(numpy.float32) for path in (args.q, args.k, args.v))
        if q.ndim != 2 or k.ndim != 2 or v.ndim != 2:
            sys.exit("q, k and v must be 2-D, got shapes %s, %s, %s" % (q.shape, k.shape, v.shape))
        (n, d), (nk, dk), (nv, dv) = q.shape, k.shape, v.shape
    else:
        (n, d, q), (nk, dk, k), (nv, dv, v) = (read_npy(path) for path in (args.q, args.k, args.v))
    if (nk, dk) != (n, d) or nv != n:
        sys.exit("shapes do not match: q %dx%d, k %dx%d, v %dx%d" % (n, d, nk, dk, nv, dv))
    factor = factor_of(n, args.train_length, d)
    if use_numpy:
        out = attend_numpy(q, k, v, factor, args.causal, args.cosine)
    else:
        out = attend_plain(n, d, dv, q, k, v, factor, args.causal, args.cosine)
    write_npy(args.out, n, dv, out)
