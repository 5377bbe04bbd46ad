package org.isentropic.kernels.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (format versions 1.0, 2.0 and 3.0, as specified in NumPy's
 * {@code numpy.lib.format} documentation): the magic string {@code \x93NUMPY}, the major and minor
 * version bytes, a little-endian header length (2 bytes in 1.0, 4 bytes after), an ASCII header holding a
 * Python dict literal with {@code descr}, {@code fortran_order} and {@code shape}, then the raw data.
 * Reads float32 and float64 (either byte order) in C order; writes float32 ({@code <f4}) or float64
 * ({@code <f8}) in version 1.0. Anything else is an {@link IllegalArgumentException} naming the file and
 * the problem: a bad magic string, a malformed header, Fortran order, another dtype, a truncated file.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * An array read from a .npy file: its shape and its values in C order.
     *
     * @param shape  dimensions (empty for a scalar)
     * @param data   values as double (exact for float32 and float64)
     * @param dtype  the file's descr, e.g. {@code <f4}
     */
    public record Array(int[] shape, double[] data, String dtype) {

        /** The number of dimensions. */
        public int rank() {
            return shape.length;
        }

        /** The values rounded to float (float32 files convert exactly). */
        public float[] toFloats() {
            float[] f = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                f[i] = (float) data[i];
            }
            return f;
        }
    }

    /** Reads a float32 or float64 C-order array. */
    public static Array read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the bytes of a .npy file; {@code name} is used in error messages. */
    public static Array parse(byte[] bytes, String name) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException(name + ": not a .npy file (missing the \\x93NUMPY magic string)");
        }
        int major = bytes[6] & 0xff;
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IllegalArgumentException(name + ": truncated .npy header");
            }
            headerLen = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            start = 12;
        } else {
            throw new IllegalArgumentException(name + ": unsupported .npy format version " + major);
        }
        if (headerLen < 0 || start + (long) headerLen > bytes.length) {
            throw new IllegalArgumentException(name + ": truncated .npy header (declares " + headerLen
                    + " bytes, file has " + (bytes.length - start) + ")");
        }
        String header = new String(bytes, start, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name, "descr");
        String fortran = group(FORTRAN, header, name, "fortran_order");
        String shapeText = group(SHAPE, header, name, "shape");
        if (fortran.equals("True")) {
            throw new IllegalArgumentException(name + ": Fortran-order arrays are not supported (save with C order)");
        }
        int[] shape = parseShape(shapeText, name);
        int itemSize;
        ByteOrder order;
        switch (descr) {
            case "<f4": itemSize = 4; order = ByteOrder.LITTLE_ENDIAN; break;
            case ">f4": itemSize = 4; order = ByteOrder.BIG_ENDIAN; break;
            case "<f8": itemSize = 8; order = ByteOrder.LITTLE_ENDIAN; break;
            case ">f8": itemSize = 8; order = ByteOrder.BIG_ENDIAN; break;
            default:
                throw new IllegalArgumentException(name + ": unsupported dtype '" + descr
                        + "' (need float32 '<f4' or float64 '<f8')");
        }
        long count = 1;
        for (int s : shape) {
            count *= s;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": array too large (" + count + " elements)");
        }
        int dataStart = start + headerLen;
        long need = count * itemSize;
        long have = bytes.length - dataStart;
        if (have < need) {
            throw new IllegalArgumentException(name + ": truncated data (shape " + Arrays.toString(shape) + " needs "
                    + need + " bytes, file has " + have + ")");
        }
        if (have > need) {
            throw new IllegalArgumentException(name + ": " + (have - need) + " unexpected bytes after the data of shape "
                    + Arrays.toString(shape));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, dataStart, (int) need).order(order);
        double[] data = new double[(int) count];
        for (int i = 0; i < count; i++) {
            data[i] = itemSize == 4 ? buf.getFloat() : buf.getDouble();
        }
        return new Array(shape, data, descr);
    }

    private static String group(Pattern p, String header, String name, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(name + ": malformed .npy header (no '" + key + "'): " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String name) {
        String t = text.trim();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split(",");
        int count = parts.length;
        if (parts[count - 1].trim().isEmpty()) {
            count--;
        }
        int[] shape = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].trim().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": malformed .npy shape (" + text + ")");
            }
            if (shape[i] < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in shape (" + text + ")");
            }
        }
        return shape;
    }

    /** Writes float32 values ({@code <f4}, C order) with the given shape. */
    public static void write(Path file, int[] shape, float[] data) {
        checkCount(shape, data.length);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : data) {
            buf.putFloat(x);
        }
        writeBytes(file, "<f4", shape, buf.array());
    }

    /** Writes float64 values ({@code <f8}, C order) with the given shape. */
    public static void write(Path file, int[] shape, double[] data) {
        checkCount(shape, data.length);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : data) {
            buf.putDouble(x);
        }
        writeBytes(file, "<f8", shape, buf.array());
    }

    /** The bytes of a version-1.0 .npy file (header padded so the data starts on a 64-byte boundary). */
    static byte[] encode(String descr, int[] shape, byte[] data) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
        }
        sh.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h).put(data);
        return out.array();
    }

    private static void writeBytes(Path file, String descr, int[] shape, byte[] data) {
        byte[] bytes = encode(descr, shape, data);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void checkCount(int[] shape, int length) {
        long count = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count *= s;
        }
        if (count != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count + " values, data has " + length);
        }
    }
}
