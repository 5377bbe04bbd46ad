# Writes the calibrate command's test fixture with numpy: q.npy and k.npy of shape [2, 512, 16] (float32),
# and expected.csv, the oracle factor computed here independently of the Java code (float64 softmax
# entropies, bisection on the factor). Logits: s * cos(q, k) with s = 8, no positions, N = 64; windows of
# n consecutive rows, each attending to its own window. Run: python3 make_fixture.py (numpy only).
import numpy as np

rng = np.random.default_rng(20250115)
heads, rows, d, s, big = 2, 512, 16, 8.0, 64
q = rng.standard_normal((heads, rows, d))
k = rng.standard_normal((heads, rows, d))
# head 1: anisotropic, keys share a common direction (lower entropy, different factor)
scale = 0.9 ** np.arange(d)
q[1] *= scale
k[1] = k[1] * scale + 1.5 * np.eye(d)[0]
q = q.astype(np.float32)
k = k.astype(np.float32)
np.save("q.npy", q)
np.save("k.npy", k)


def mean_entropy(qh, kh, n, f):
    qh = qh.astype(np.float64)
    kh = kh.astype(np.float64)
    qn = qh / np.linalg.norm(qh, axis=1, keepdims=True)
    kn = kh / np.linalg.norm(kh, axis=1, keepdims=True)
    hs = []
    for w in range(rows // n):
        z = f * s * qn[w * n:(w + 1) * n] @ kn[w * n:(w + 1) * n].T
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            h = -np.where(p > 0, p * np.log(p), 0.0).sum(axis=1)
        hs.append(h)
    return np.concatenate(hs).mean()


with open("expected.csv", "w") as out:
    out.write("head,length,entropy_at_N,entropy_standard,oracle\n")
    for h in range(heads):
        target = mean_entropy(q[h], k[h], big, 1.0)
        for n in (128, 256, 512):
            lo, hi = 0.5, 8.0
            for _ in range(100):
                mid = np.sqrt(lo * hi)
                if mean_entropy(q[h], k[h], n, mid) > target:
                    lo = mid
                else:
                    hi = mid
            out.write("%d,%d,%.9f,%.9f,%.9f\n" % (h, n, target, mean_entropy(q[h], k[h], n, 1.0), np.sqrt(lo * hi)))
