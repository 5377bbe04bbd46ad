package org.isentropic.experiments.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.base.Json;
import org.junit.jupiter.api.Test;

class JsonAndSafeTensorsTest {

    @Test
    void jsonRoundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1L);
        m.put("b", 2.5);
        m.put("s", "x\"y\\z\n\u00e9");
        m.put("l", List.of(1L, "two", true));
        m.put("n", null);
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void malformedJsonNamesTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": }"));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
    }

    @Test
    void safeTensorsRoundTripAndLayout() {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put("w", SafeTensors.Tensor.of(new float[] {1.5f, -2f, 3f, 0f, 1e-7f, 7f}, 2, 3));
        t.put("ids", SafeTensors.Tensor.ofInts(new int[] {4, -5}, 2));
        byte[] bytes = SafeTensors.toBytes(t, Map.of("k", "v"));
        // Layout of the format: u64 LE header size, JSON header, then the data; offsets relative to the data.
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"data_offsets\":[0,24]"), header);
        assertTrue(header.contains("\"dtype\":\"I32\""), header);
        assertEquals(8 + headerLength + 24 + 8, bytes.length);
        SafeTensors.Contents c = SafeTensors.read(bytes, "test");
        assertArrayEquals(new int[] {2, 3}, c.get("w").shape());
        assertArrayEquals(t.get("w").floats(), c.get("w").floats());
        assertArrayEquals(new int[] {4, -5}, c.get("ids").ints());
        assertEquals("v", c.metadata().get("k"));
    }

    @Test
    void safeTensorsRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(new byte[4], "short"));
        byte[] b = SafeTensors.toBytes(Map.of("w", SafeTensors.Tensor.of(new float[] {1f}, 1)), Map.of());
        byte[] truncated = java.util.Arrays.copyOf(b, b.length - 2);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(truncated, "truncated"));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.Tensor.of(new float[3], 2, 2));
    }
}
