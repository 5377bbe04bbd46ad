package org.isentropic.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static Map<String, Object> sample() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("empty list", List.of());
        inner.put("empty map", Map.of());
        inner.put("flag", true);
        inner.put("none", null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "q \"k\"\\v\n\t\u0001");
        m.put("count", 3L);
        m.put("ratio", 0.125);
        m.put("values", List.of(1L, -2.5, List.of("a", 7L)));
        m.put("inner", inner);
        return m;
    }

    @Test
    void compactWriteReadsBackToTheSameValue() {
        Map<String, Object> m = sample();
        String text = Json.write(m);
        assertEquals(m, Json.parse(text));
        assertEquals(text, Json.write(Json.parse(text)));
        assertTrue(text.startsWith("{\"name\":\"q \\\"k\\\"\\\\v\\n\\t\\u0001\",\"count\":3,"), text);
    }

    @Test
    void indentedWriteUsesTheGivenNumberFormatAndReadsBack() {
        String text = Json.writeIndented(sample(), v -> String.format(Locale.ROOT, "%.3g", v));
        assertTrue(text.contains("\n  \"ratio\": 0.125,\n"), text);
        assertTrue(text.contains("\"empty list\": [],"), text);
        assertTrue(text.contains("\"empty map\": {},"), text);
        assertTrue(text.endsWith("}\n"), text);
        assertEquals(sample(), Json.parse(text));
    }

    @Test
    void wholeDoublesAreWrittenWithoutAFractionAndNonFiniteOnesAreRefused() {
        assertEquals("[2,0.1]", Json.write(List.of(2.0, 0.1)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
        assertEquals("[\n  null\n]\n", Json.writeIndented(List.of(Double.NaN), v -> Double.isFinite(v) ? "x" : "null"));
    }

    @Test
    void malformedTextNamesTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertEquals("json: expected ':' at offset 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertEquals("\"a\\\"b\"", Json.quoted("a\"b"));
    }
}
