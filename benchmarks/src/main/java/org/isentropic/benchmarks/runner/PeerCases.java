package org.isentropic.benchmarks.runner;

import java.util.List;
import java.util.Locale;

/**
 * The cases of peers that only some builds contain. PyTorch's {@code scaled_dot_product_attention} runs
 * through {@code org.bytedeco:pytorch}, an 84 MB native jar that only the Maven profile {@code peers}
 * adds (the default build does not download it): its cases are in a plan only when the benchmark class is
 * on the class path.
 */
public final class PeerCases {

    /** The PyTorch SDPA benchmark, compiled only with the {@code peers} profile. */
    public static final String PYTORCH_CLASS = "org.isentropic.benchmarks.peers.PyTorchSdpaBenchmark";

    private PeerCases() {
    }

    /** Whether this build has the PyTorch peer. */
    public static boolean pyTorchAvailable() {
        try {
            Class.forName(PYTORCH_CLASS, false, PeerCases.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * PyTorch SDPA on [1, heads, n, d] queries and [1, kvHeads, n, d] keys and values (heads = kvHeads = 1 for
     * the single-head anchor), {@code torch.set_num_threads(threads)}; empty when the build lacks it.
     */
    public static List<BenchCase> pyTorch(int n, int d, String mask, int threads, int heads, int kvHeads) {
        return pyTorchAvailable() ? List.of(pyTorchCase(n, d, mask, threads, heads, kvHeads)) : List.of();
    }

    /**
     * The case {@link #pyTorch} lists when the build has the peer (also without it: a report's test builds
     * results for it). Its id leaves the head counts out for the single-head anchor.
     */
    public static BenchCase pyTorchCase(int n, int d, String mask, int threads, int heads, int kvHeads) {
        String shape = heads == 1 && kvHeads == 1 ? "" : String.format(Locale.ROOT, "/h%d/kv%d", heads, kvHeads);
        return new BenchCase(String.format(Locale.ROOT, "pytorch%s/n%d/d%d/%s/t%d", shape, n, d, mask, threads),
                "PyTorchSdpaBenchmark.attend", BenchPlan.headsAndSizes(heads, kvHeads, n, d, mask, threads));
    }
}
