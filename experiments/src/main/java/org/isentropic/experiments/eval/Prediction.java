package org.isentropic.experiments.eval;

/**
 * The score of one masked position from its row of MLM logits: whether the top prediction is the original
 * character, and the loss -ln p(original) = logsumexp(logits) - logit(original) in nats (max-shifted).
 */
record Prediction(boolean correct, double loss) {

    /** Scores row {@code row} of {@code logits} (rows of {@code vocabSize}) against the original id {@code truth}. */
    static Prediction of(float[] logits, int row, int vocabSize, int truth) {
        int off = row * vocabSize;
        double max = Double.NEGATIVE_INFINITY;
        int arg = -1;
        for (int v = 0; v < vocabSize; v++) {
            if (logits[off + v] > max) {
                max = logits[off + v];
                arg = v;
            }
        }
        double sum = 0;
        for (int v = 0; v < vocabSize; v++) {
            sum += Math.exp(logits[off + v] - max);
        }
        return new Prediction(arg == truth, max + Math.log(sum) - logits[off + truth]);
    }
}
