package org.isentropic.benchmarks.runner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        if (!pyTorchAvailable()) {
            return List.of();
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("heads", Integer.toString(heads));
        p.put("kvHeads", Integer.toString(kvHeads));
        p.put("n", Integer.toString(n));
        p.put("d", Integer.toString(d));
        p.put("mask", mask);
        p.put("threads", Integer.toString(threads));
        String shape = heads == 1 && kvHeads == 1 ? "" : String.format(Locale.ROOT, "/h%d/kv%d", heads, kvHeads);
        return List.of(new BenchCase(String.format(Locale.ROOT, "pytorch%s/n%d/d%d/%s/t%d", shape, n, d, mask, threads),
                "PyTorchSdpaBenchmark.attend", p));
    }
}
