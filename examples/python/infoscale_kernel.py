"""A correct InfoScale attention kernel (paper section 2), for `isentropic conform --rule infoscale`.

    lambda(n) = sqrt((1 - n^(-2/d)) / (1 - N^(-2/d)))

multiplies the logits q.k/sqrt(d) (or s cos(q, k) with --cosine S) of every row, n the sequence length.

    python3 infoscale_kernel.py Q.npy K.npy V.npy OUT.npy N [--causal] [--cosine S] [--no-numpy]
"""

import math

from attention import main


def infoscale(n, N, d):
    return math.sqrt((1 - n ** (-2 / d)) / (1 - N ** (-2 / d)))


if __name__ == "__main__":
    main(infoscale, "InfoScale attention (one head) on .npy tensors")
