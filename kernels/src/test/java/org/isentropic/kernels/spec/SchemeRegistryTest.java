package org.isentropic.kernels.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registries of position schemes and masks: names, parameters, help, and one meaning per parameter. */
class SchemeRegistryTest {

    private static final Map<String, Number> ALL = Map.of("rope-base", 500.0, "train-length", 32, "window", 7,
            "slope", 0.25, "sinks", 3, "half-width", 6);

    @Test
    void everyPositionSchemeParsesToItsFactory() {
        List<Positions> expected = List.of(Positions.none(), Positions.rope(500), Positions.ropeHalf(500),
                Positions.pi(500, 32), Positions.piReference(500, 32), Positions.ntk(500, 32), Positions.yarn(500, 32),
                Positions.rerope(500, 7), Positions.reropeReference(500, 7), Positions.alibi(0.25));
        List<SchemeEntry<Positions>> registry = Positions.VOCABULARY.entries();
        assertEquals(expected.size(), registry.size());
        for (int t = 0; t < registry.size(); t++) {
            SchemeEntry<Positions> e = registry.get(t);
            assertEquals(expected.get(t), Positions.parse(e.name(), ALL::get), e.name());
            assertEquals(e.name(), expected.get(t).id(), "registry name = the scheme's id");
            assertEquals(e.name(), Positions.parse(e.name().toUpperCase(java.util.Locale.ROOT), ALL::get).id());
            for (String p : e.parameters()) {
                assertTrue(Positions.VOCABULARY.parameters().containsKey(p.split("=")[0]), p + " has a documented meaning");
            }
        }
    }

    @Test
    void everyMaskParsesToItsFactoryWithItsDefaults() {
        assertEquals(Mask.full(), Mask.parse("full", ALL::get));
        assertEquals(Mask.causal(), Mask.parse("causal", ALL::get));
        assertEquals(Mask.window(6), Mask.parse("window", ALL::get));
        assertEquals(Mask.streaming(3, 7), Mask.parse("streaming", ALL::get));
        assertEquals(Mask.lambda(3, 7), Mask.parse("lambda", ALL::get));
        Map<String, Number> windowOnly = Map.of("window", 9);
        assertEquals(Mask.streaming(4, 9), Mask.parse("streaming", windowOnly::get));
        assertEquals(Mask.lambda(5, 9), Mask.parse("lambda", windowOnly::get));
        Set<String> names = new HashSet<>();
        for (SchemeEntry<Mask> e : Mask.VOCABULARY.entries()) {
            assertTrue(names.add(e.name()));
            assertEquals(e.name(), Mask.parse(e.name(), ALL::get).id());
            for (String p : e.parameters()) {
                assertTrue(Mask.VOCABULARY.parameters().containsKey(p.split("=")[0]), p + " has a documented meaning");
            }
        }
    }

    /** "window" W means |i - j| < W for both masks that read it and for ReRoPE; "half-width" H |i - j| <= H. */
    @Test
    void eachParameterNameHasOneMeaning() {
        int n = 40;
        int w = 7;
        Map<String, Number> values = Map.of("window", w, "half-width", w, "sinks", 0, "rope-base", 10000.0);
        Mask streaming = Mask.parse("streaming", values::get);
        Mask lambda = Mask.parse("lambda", values::get);
        Mask window = Mask.parse("window", values::get);
        AttentionSpec rerope = AttentionSpec.dot().withPositions(Positions.parse("rerope", values::get));
        LogitGeometry g = new LogitGeometry(rerope, n, 8);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean local = Math.abs(i - j) < w;
                assertEquals(local, streaming.visible(i, j, n), "streaming " + i + "," + j);
                assertEquals(local, lambda.visible(i, j, n), "lambda " + i + "," + j);
                assertEquals(local, g.inside(i, j), "rerope " + i + "," + j);
                assertEquals(Math.abs(i - j) <= w, window.visible(i, j, n), "window " + i + "," + j);
            }
        }
        assertEquals(w, lambda.distanceCapWindow());
    }

    @Test
    void badNamesAndParametersAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Mask.parse("diagonal", ALL::get));
        assertTrue(unknown.getMessage().startsWith("mask: unknown value 'diagonal' (known: full, causal"),
                unknown.getMessage());
        unknown = assertThrows(IllegalArgumentException.class, () -> Positions.parse("spiral", ALL::get));
        assertTrue(unknown.getMessage().startsWith("position: unknown value 'spiral'"), unknown.getMessage());
        Map<String, Number> none = Map.of();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mask.parse("window", none::get))
                .getMessage().startsWith("half-width is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Positions.parse("pi", none::get))
                .getMessage().startsWith("rope-base is required"));
        Map<String, Number> bad = Map.of("half-width", 0, "window", 0, "rope-base", 1.0, "slope", -1.0);
        for (String[] c : new String[][] {{"mask", "window", "half-width"}, {"mask", "streaming", "window"},
            {"position", "rope", "rope-base"}, {"position", "alibi", "slope"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                if (c[0].equals("mask")) {
                    Mask.parse(c[1], bad::get);
                } else {
                    Positions.parse(c[1], bad::get);
                }
            });
            assertTrue(e.getMessage().startsWith(c[2] + " "), c[1] + ": " + e.getMessage());
        }
    }

    @Test
    void helpListsEveryNameAndParameter() {
        String help = Mask.VOCABULARY.help() + Positions.VOCABULARY.help();
        for (SchemeEntry<Mask> e : Mask.VOCABULARY.entries()) {
            assertTrue(help.contains(e.helpLine()), e.name());
        }
        for (SchemeEntry<Positions> e : Positions.VOCABULARY.entries()) {
            assertTrue(help.contains(e.helpLine()), e.name());
        }
        assertTrue(Mask.VOCABULARY.entries().get(3).reads("sinks"));
        assertFalse(Mask.VOCABULARY.entries().get(2).reads("window"));
        assertTrue(Positions.VOCABULARY.help().contains("window: W >= 1: pairs with |i - j| < W"));
    }
}
