package org.isentropic.experiments.eval;

import java.util.Collection;
import org.isentropic.experiments.corpus.CharVocabulary;

/**
 * The context-free baseline: predict every masked character from the training documents' character
 * frequencies alone (add-one smoothing over the non-special ids). Accuracy = always answering the most
 * frequent character; loss = -ln p_unigram(original).
 */
public final class Unigram {

    private final double[] p;
    private final int mostFrequent;

    private Unigram(double[] p, int mostFrequent) {
        this.p = p;
        this.mostFrequent = mostFrequent;
    }

    public static Unigram fromTraining(Collection<String> train, CharVocabulary vocab) {
        double[] c = new double[vocab.size()];
        for (int id = 2; id < c.length; id++) {
            c[id] = 1;
        }
        for (String d : train) {
            for (int id : vocab.encode(d)) {
                c[id]++;
            }
        }
        double total = 0;
        int best = 2;
        for (int id = 0; id < c.length; id++) {
            total += c[id];
            if (c[id] > c[best]) {
                best = id;
            }
        }
        double[] p = new double[c.length];
        for (int id = 0; id < c.length; id++) {
            p[id] = c[id] / total;
        }
        return new Unigram(p, best);
    }

    public int mostFrequent() {
        return mostFrequent;
    }

    /** Scores the same masked positions as the one-pass protocol at length n. */
    public Metrics onePass(TestSet test, int documents, int n, long seed, int space) {
        Metrics m = Metrics.empty();
        for (int doc = 0; doc < documents; doc++) {
            for (Extrapolation.Masked w : Extrapolation.onePassMasks(test, doc, n, seed, space)) {
                for (int pos : w.masking().chosen()) {
                    m = score(m, w.tokens()[pos]);
                }
            }
        }
        return m;
    }

    /** Scores the one-token protocol's positions at length n. */
    public Metrics oneToken(TestSet test, int documents, int n, int positions, int space) {
        Metrics m = Metrics.empty();
        for (int doc = 0; doc < documents; doc++) {
            for (int[] w : test.windows(doc, n, space)) {
                for (int p : Extrapolation.oneTokenPositions(n, positions)) {
                    m = score(m, w[p]);
                }
            }
        }
        return m;
    }

    private Metrics score(Metrics m, int target) {
        double pt = p[target] > 0 ? p[target] : Double.MIN_NORMAL;
        return m.add(target == mostFrequent, -Math.log(pt));
    }
}
