package org.isentropic.experiments.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.base.Json;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end)}} (offsets into the data that
 * follows the header) plus an optional {@code "__metadata__"} map of strings, then the little-endian raw
 * data. Supported dtypes: F32 and I32.
 */
public final class SafeTensors {

    /** One tensor: shape and values (float or int, whichever the dtype is). */
    public record Tensor(int[] shape, float[] floats, int[] ints) {

        public static Tensor of(float[] values, int... shape) {
            check(values.length, shape);
            return new Tensor(shape.clone(), values, null);
        }

        public static Tensor ofInts(int[] values, int... shape) {
            check(values.length, shape);
            return new Tensor(shape.clone(), null, values);
        }

        public int size() {
            return floats != null ? floats.length : ints.length;
        }

        private static void check(int n, int[] shape) {
            long p = 1;
            for (int s : shape) {
                if (s < 0) {
                    throw new IllegalArgumentException("shape must be non-negative, got " + s);
                }
                p *= s;
            }
            if (p != n) {
                throw new IllegalArgumentException("tensor: " + n + " values do not fill shape "
                        + java.util.Arrays.toString(shape));
            }
        }
    }

    /** A file's tensors (in file order) and metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {

        public Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("safetensors: no tensor named " + name);
            }
            return t;
        }
    }

    private SafeTensors() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        try {
            Files.write(file, toBytes(tensors, metadata));
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot write " + file, e);
        }
    }

    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("dtype", t.floats() != null ? "F32" : "I32");
            List<Object> shape = new ArrayList<>();
            for (int s : t.shape()) {
                shape.add((long) s);
            }
            h.put("shape", shape);
            h.put("data_offsets", List.of(offset, offset + 4L * t.size()));
            offset += 4L * t.size();
            header.put(e.getKey(), h);
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // align the data to 8 bytes, padding with spaces (allowed)
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(8 + json.length + pad + offset))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length + pad);
        b.put(json);
        for (int i = 0; i < pad; i++) {
            b.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            if (t.floats() != null) {
                for (float f : t.floats()) {
                    b.putFloat(f);
                }
            } else {
                for (int v : t.ints()) {
                    b.putInt(v);
                }
            }
        }
        return b.array();
    }

    public static Contents read(Path file) {
        try {
            return read(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("safetensors: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static Contents readResource(String resource) {
        try (InputStream in = SafeTensors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("safetensors: no classpath resource " + resource);
            }
            return read(in.readAllBytes(), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot read " + resource, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Contents read(byte[] bytes, String what) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IllegalArgumentException("safetensors: " + what + " is shorter than 8 bytes");
        }
        long n = b.getLong();
        if (n < 2 || 8 + n > bytes.length) {
            throw new IllegalArgumentException("safetensors: " + what + " has a bad header length " + n);
        }
        Object parsed = Json.parse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?> header)) {
            throw new IllegalArgumentException("safetensors: " + what + " header is not a JSON object");
        }
        int dataStart = (int) (8 + n);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                ((Map<String, Object>) e.getValue()).forEach((k, v) -> metadata.put(k, String.valueOf(v)));
                continue;
            }
            Map<String, Object> h = (Map<String, Object>) e.getValue();
            String dtype = (String) h.get("dtype");
            List<Object> shapeList = (List<Object>) h.get("shape");
            List<Object> offs = (List<Object>) h.get("data_offsets");
            int[] shape = shapeList.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            long begin = ((Number) offs.get(0)).longValue();
            long end = ((Number) offs.get(1)).longValue();
            if (begin < 0 || end < begin || dataStart + end > bytes.length || (end - begin) % 4 != 0) {
                throw new IllegalArgumentException("safetensors: " + what + ": bad data_offsets for " + name);
            }
            int count = (int) ((end - begin) / 4);
            ByteBuffer d = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case "F32" -> {
                    float[] f = new float[count];
                    d.asFloatBuffer().get(f);
                    tensors.put(name, Tensor.of(f, shape));
                }
                case "I32" -> {
                    int[] v = new int[count];
                    d.asIntBuffer().get(v);
                    tensors.put(name, Tensor.ofInts(v, shape));
                }
                default -> throw new IllegalArgumentException("safetensors: " + what + ": unsupported dtype "
                        + dtype + " for " + name + " (F32 and I32 only)");
            }
        }
        return new Contents(tensors, metadata);
    }
}
