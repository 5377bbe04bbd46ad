"""A deliberately WRONG kernel for `isentropic conform --rule infoscale`: it scales the logits by the
classical log-n factor ln n / ln N instead of InfoScale's sqrt((1 - n^(-2/d)) / (1 - N^(-2/d))).
Both are 1 at n = N, so a check at the training length alone cannot tell them apart; conform must
catch it (CI asserts that it does) and shrink it to a small reproducer.

    python3 logn_kernel_broken.py Q.npy K.npy V.npy OUT.npy N [--causal] [--cosine S] [--no-numpy]
"""

import math

from attention import main


def log_n(n, N, d):
    return math.log(n) / math.log(N)


if __name__ == "__main__":
    main(log_n, "log-n attention (one head): the wrong rule for --rule infoscale")
