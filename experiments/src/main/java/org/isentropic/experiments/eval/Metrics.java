package org.isentropic.experiments.eval;

/**
 * Accuracy, loss and perplexity of masked-token predictions with 95 % intervals. Accuracy: Wilson score
 * interval. Loss (mean cross-entropy in nats): mean +- 1.96 standard errors. Perplexity: exp of the loss
 * and of its interval's ends. The intervals treat predictions as independent; predictions from one
 * document are correlated, so the true intervals are somewhat wider.
 *
 * @param count predictions
 * @param correct predictions whose arg-max was the original token
 * @param lossSum sum of -ln p(original)
 * @param lossSquares sum of squared losses
 */
public record Metrics(long count, long correct, double lossSum, double lossSquares) {

    static final double Z95 = 1.959963984540054;

    public static Metrics empty() {
        return new Metrics(0, 0, 0, 0);
    }

    public Metrics add(boolean hit, double loss) {
        return new Metrics(count + 1, correct + (hit ? 1 : 0), lossSum + loss, lossSquares + loss * loss);
    }

    public Metrics plus(Metrics o) {
        return new Metrics(count + o.count, correct + o.correct, lossSum + o.lossSum, lossSquares + o.lossSquares);
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** Wilson 95 % interval {lo, hi} of the accuracy. */
    public double[] accuracyInterval() {
        if (count == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double p = accuracy();
        double z2 = Z95 * Z95;
        double den = 1 + z2 / count;
        double centre = (p + z2 / (2 * count)) / den;
        double half = Z95 * Math.sqrt(p * (1 - p) / count + z2 / (4.0 * count * count)) / den;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    public double loss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** Half-width of the 95 % interval of the mean loss. */
    public double lossHalfWidth() {
        if (count < 2) {
            return Double.NaN;
        }
        double mean = loss();
        double var = Math.max(0, (lossSquares - count * mean * mean) / (count - 1));
        return Z95 * Math.sqrt(var / count);
    }

    public double perplexity() {
        return Math.exp(loss());
    }

    public double[] perplexityInterval() {
        double h = lossHalfWidth();
        return new double[] {Math.exp(loss() - h), Math.exp(loss() + h)};
    }
}
