package org.isentropic.experiments.eval;

/**
 * A cell as {@code experiments/claims.csv} and {@code per-target.csv.gz} name it:
 * {@code checkpoint/method/temperature}, with the checkpoint's family name without its seed ({@code cos128},
 * {@code softmax-ft}), the method's id ({@link Method#id}) and the temperature's id with its n-mode
 * ({@link Plan.Row#temperatureId}, e.g. {@code infoscale} or {@code infoscale@visible}).
 */
public record CellRef(String checkpoint, String method, String temperature) {

    /** Parses {@code checkpoint/method/temperature}; {@code what} names the field in the error. */
    public static CellRef parse(String text, String what) {
        String[] f = text.trim().split("/", -1);
        if (f.length != 3 || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
            throw new IllegalArgumentException(what + ": a cell is checkpoint/method/temperature, got '" + text + "'");
        }
        return new CellRef(f[0], f[1], f[2]);
    }

    /** The cell of a plan row. */
    public static CellRef of(Plan.Row r) {
        return new CellRef(Family.withoutSeed(r.checkpoint().name()), r.method().id(), r.temperatureId());
    }

    @Override
    public String toString() {
        return checkpoint + "/" + method + "/" + temperature;
    }
}
