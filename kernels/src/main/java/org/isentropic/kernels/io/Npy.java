package org.isentropic.kernels.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Map;

/**
 * NumPy's {@code .npy} format (format versions 1.0, 2.0 and 3.0, as specified in NumPy's
 * {@code numpy.lib.format} documentation): the magic string {@code \x93NUMPY}, the major and minor
 * version bytes, a little-endian header length (2 bytes in 1.0, 4 bytes after), an ASCII header holding a
 * Python dict literal with {@code descr}, {@code fortran_order} and {@code shape}, then the raw data.
 * Reads float32 and float64 (either byte order) in C order; writes float32 ({@code <f4}) or float64
 * ({@code <f8}) in version 1.0. Anything else is an {@link IllegalArgumentException} naming the file and
 * the problem: a bad magic string, a malformed header, Fortran order, another dtype, a truncated file.
 *
 * <p>The header is read as NumPy reads it: a Python dict literal with exactly the keys descr,
 * fortran_order and shape (a key written twice keeps its last value), at most 10000 bytes. The declared
 * size is checked against the file's size before anything is allocated, and only regular files are read
 * (a device such as /dev/zero or a FIFO is refused, since it has no size to check against).
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy's own limit on the header length (numpy.lib.format's max_header_size default). */
    static final int MAX_HEADER = 10_000;
    private static final int CHUNK = 1 << 20;

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

    /**
     * What a file's header declares, checked against the file's size: a caller can size its work from
     * this before any data is read.
     *
     * @param shape      dimensions (empty for a scalar)
     * @param dtype      the descr, e.g. {@code <f4}
     * @param count      the number of values (product of the shape), at most {@code Integer.MAX_VALUE - 8}
     * @param itemSize   4 or 8 bytes
     * @param dataOffset where the data starts; the file holds exactly {@code count * itemSize} bytes after it
     */
    public record Header(int[] shape, String dtype, long count, int itemSize, long dataOffset) {

        /** The bytes {@link #read} allocates for the values (a double each). */
        public long bytesInMemory() {
            return count * Double.BYTES;
        }

        private ByteOrder order() {
            return dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
    }

    /**
     * Reads and checks the header of a .npy file without reading its data: the file must be a regular
     * file (not a device, FIFO or directory) whose size is exactly the header plus the declared data.
     */
    public static Header header(Path file) {
        try (FileChannel ch = open(file)) {
            return header(ch, file.toString());
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Reads a float32 or float64 C-order array (header checks as in {@link #header(Path)}). */
    public static Array read(Path file) {
        try (FileChannel ch = open(file)) {
            Header h = header(ch, file.toString());
            double[] data = new double[(int) h.count()];
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(h.itemSize(), h.count() * h.itemSize())))
                    .order(h.order());
            ch.position(h.dataOffset());
            int i = 0;
            while (i < data.length) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), (long) (data.length - i) * h.itemSize()));
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new IllegalArgumentException(file + ": truncated data (the file shrank while being read)");
                    }
                }
                buf.flip();
                while (buf.remaining() >= h.itemSize()) {
                    data[i++] = h.itemSize() == 4 ? buf.getFloat() : buf.getDouble();
                }
            }
            return new Array(h.shape(), data, h.dtype());
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new IllegalArgumentException(file + ": not a regular file (" + (a.isDirectory() ? "a directory"
                    : "a device, FIFO or socket") + "); a .npy input must be a file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static IllegalArgumentException unreadable(Path file, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            reason = ((FileSystemException) e).getReason();
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new IllegalArgumentException("cannot read " + file + ": " + reason, e);
    }

    private static Header header(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(size, 12 + MAX_HEADER));
        while (prefix.hasRemaining() && ch.read(prefix) >= 0) {
            // fill
        }
        return header(prefix.array(), prefix.position(), size, name);
    }

    /** Parses the bytes of a .npy file; {@code name} is used in error messages. */
    public static Array parse(byte[] bytes, String name) {
        Header h = header(bytes, bytes.length, bytes.length, name);
        ByteBuffer buf = ByteBuffer.wrap(bytes, (int) h.dataOffset(), (int) (h.count() * h.itemSize())).order(h.order());
        double[] data = new double[(int) h.count()];
        for (int i = 0; i < data.length; i++) {
            data[i] = h.itemSize() == 4 ? buf.getFloat() : buf.getDouble();
        }
        return new Array(h.shape(), data, h.dtype());
    }

    /** The header from the file's first {@code available} bytes; {@code fileSize} is the whole file's. */
    private static Header header(byte[] bytes, int available, long fileSize, String name) {
        if (available < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException(name + ": not a .npy file (missing the \\x93NUMPY magic string)");
        }
        int major = bytes[6] & 0xff;
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (available < 12) {
                throw new IllegalArgumentException(name + ": truncated .npy header");
            }
            headerLen = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            start = 12;
        } else {
            throw new IllegalArgumentException(name + ": unsupported .npy format version " + major);
        }
        if (headerLen > MAX_HEADER) {
            throw new IllegalArgumentException(name + ": .npy header of " + headerLen + " bytes exceeds NumPy's limit of "
                    + MAX_HEADER);
        }
        if (start + headerLen > available) {
            throw new IllegalArgumentException(name + ": truncated .npy header (declares " + headerLen
                    + " bytes, file has " + (fileSize - start) + ")");
        }
        String text = new String(bytes, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderDict(text, name).parse();
        if (!dict.keySet().equals(KEYS)) {
            throw new IllegalArgumentException(name + ": malformed .npy header (keys " + dict.keySet()
                    + ", need exactly descr, fortran_order, shape): " + text.trim());
        }
        if (!(dict.get("descr") instanceof String) || !(dict.get("fortran_order") instanceof Boolean)
                || !(dict.get("shape") instanceof int[])) {
            throw new IllegalArgumentException(name + ": malformed .npy header (descr must be a string, fortran_order"
                    + " True or False, shape a tuple of integers): " + text.trim());
        }
        String descr = (String) dict.get("descr");
        if ((Boolean) dict.get("fortran_order")) {
            throw new IllegalArgumentException(name + ": Fortran-order arrays are not supported (save with C order)");
        }
        int[] shape = (int[]) dict.get("shape");
        int itemSize;
        switch (descr) {
            case "<f4": case ">f4": itemSize = 4; break;
            case "<f8": case ">f8": itemSize = 8; break;
            default:
                throw new IllegalArgumentException(name + ": unsupported dtype '" + descr
                        + "' (need float32 '<f4' or float64 '<f8')");
        }
        long count = 1;
        for (int s : shape) {
            count = count == 0 || s == 0 ? 0 : count > Long.MAX_VALUE / 16 / s ? Long.MAX_VALUE / 16 : count * s;
        }
        long dataStart = start + headerLen;
        long have = fileSize - dataStart;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": array too large (shape " + Arrays.toString(shape) + " holds "
                    + count + " values; at most " + (Integer.MAX_VALUE - 8) + ")");
        }
        long need = count * itemSize;
        if (have < need) {
            throw new IllegalArgumentException(name + ": truncated data (shape " + Arrays.toString(shape) + " needs "
                    + need + " bytes, file has " + have + ")");
        }
        if (have > need) {
            throw new IllegalArgumentException(name + ": " + (have - need) + " unexpected bytes after the data of shape "
                    + Arrays.toString(shape));
        }
        return new Header(shape, descr, count, itemSize, dataStart);
    }

    private static final java.util.Set<String> KEYS = java.util.Set.of("descr", "fortran_order", "shape");

    /**
     * The header's Python dict literal, read the way NumPy reads it ({@code ast.literal_eval}): string
     * keys, values that are strings, True/False or tuples of integers; a key given twice keeps its last
     * value, as in any Python dict literal.
     */
    private static final class HeaderDict {
        private final String text;
        private final String name;
        private int pos;

        HeaderDict(String text, String name) {
            this.text = text;
            this.name = name;
        }

        Map<String, Object> parse() {
            Map<String, Object> dict = new java.util.LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                skipSpace();
                dict.put(key, value(key));
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw malformed("expected ',' or '}' at offset " + pos);
                }
            }
            pos++;
            skipSpace();
            if (pos != text.length()) {
                throw malformed("text after the dict at offset " + pos);
            }
            return dict;
        }

        private Object value(String key) {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple(key);
            }
            for (String b : new String[] {"True", "False"}) {
                if (text.startsWith(b, pos)) {
                    pos += b.length();
                    return b.equals("True");
                }
            }
            throw malformed("unexpected value for '" + key + "' at offset " + pos);
        }

        private int[] tuple(String key) {
            expect('(');
            java.util.List<Integer> dims = new java.util.ArrayList<>();
            boolean comma = false;
            while (peek() != ')') {
                int begin = pos;
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == 'L')) {
                    pos++;
                }
                String digits = text.substring(begin, pos).replace("L", "");
                if (digits.isEmpty()) {
                    if (key.equals("shape") && pos < text.length() && text.charAt(pos) == '-') {
                        throw new IllegalArgumentException(name + ": negative dimension in shape (" + rest() + ")");
                    }
                    throw new IllegalArgumentException(name + ": malformed .npy shape (" + rest() + ")");
                }
                try {
                    dims.add(Integer.parseInt(digits));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + ": dimension " + digits + " in shape is too large");
                }
                comma = peek() == ',';
                if (comma) {
                    pos++;
                } else if (peek() != ')') {
                    throw new IllegalArgumentException(name + ": malformed .npy shape (" + rest() + ")");
                }
            }
            pos++;
            if (dims.size() == 1 && !comma) {
                throw malformed("(" + dims.get(0) + ") is an integer, not a tuple; a 1-D shape is written ("
                        + dims.get(0) + ",)");
            }
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw malformed("expected a quoted key at offset " + pos);
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0 || text.substring(pos + 1, end).indexOf('\\') >= 0) {
                throw malformed("unterminated or escaped string at offset " + pos);
            }
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }

        private String rest() {
            int end = text.indexOf(')', pos);
            return text.substring(Math.max(0, text.lastIndexOf('(', pos) + 1), end < 0 ? text.length() : end);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw malformed("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        private char peek() {
            skipSpace();
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException malformed(String why) {
            return new IllegalArgumentException(name + ": malformed .npy header (" + why + "): " + text.trim());
        }
    }

    /** Writes float32 values ({@code <f4}, C order) with the given shape. */
    public static void write(Path file, int[] shape, float[] data) {
        checkCount(shape, data.length);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        writeBytes(file, "<f4", shape, buf.array());
    }

    /** Writes float64 values ({@code <f8}, C order) with the given shape. */
    public static void write(Path file, int[] shape, double[] data) {
        checkCount(shape, data.length);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(data);
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
