package org.isentropic.experiments.eval;

import java.util.Collection;
import org.isentropic.experiments.corpus.CharVocabulary;

/**
 * The context-free baseline: predict every masked character from the training documents' character
 * frequencies alone (add-one smoothing over the non-special ids). Accuracy = always answering the most
 * frequent character; loss = -ln p_unigram(original). Scored on the same targets as the model.
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

    /** Per stream {predictions, correct, loss sum} on the streams' targets. */
    public double[][] score(Streams streams) {
        double[][] out = new double[streams.size()][3];
        for (int s = 0; s < streams.size(); s++) {
            for (int target : streams.targetTokens(s)) {
                double pt = p[target] > 0 ? p[target] : Double.MIN_NORMAL;
                out[s][0]++;
                out[s][1] += target == mostFrequent ? 1 : 0;
                out[s][2] += -Math.log(pt);
            }
        }
        return out;
    }
}
