package org.isentropic.figures.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsNestedValues() {
        Object v = JsonReader.parse(" {\"a\": [1, -2.5e1, true, null, \"x\\\"y\\u0041\"], \"b\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(1.0, a.get(0));
        assertEquals(-25.0, a.get(1));
        assertEquals(Boolean.TRUE, a.get(2));
        assertNull(a.get(3));
        assertEquals("x\"yA", a.get(4));
        assertEquals(Map.of(), m.get("b"));
    }

    @Test
    void rejectsMalformedInputWithTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\": 1,}"));
        assertEquals(true, e.getMessage().contains("offset"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1 2]"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{} x"));
    }
}
