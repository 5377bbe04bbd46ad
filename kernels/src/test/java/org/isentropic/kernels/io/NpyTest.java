package org.isentropic.kernels.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    /** A version-1.0 file as NumPy writes it (layout from numpy.lib.format's documentation). */
    private static byte[] handMade(String descr, String fortran, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
        return b.array();
    }

    private static byte[] floats(ByteOrder order, float... x) {
        ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(order);
        for (float f : x) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void readsAHandMadeFloat32File() {
        Npy.Array a = Npy.parse(handMade("<f4", "False", "(2, 3)", floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6.5f)), "x");
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6.5f}, a.toFloats());
        Npy.Array big = Npy.parse(handMade(">f4", "False", "(2,)", floats(ByteOrder.BIG_ENDIAN, -1, 0.25f)), "x");
        assertArrayEquals(new float[] {-1, 0.25f}, big.toFloats());
        assertArrayEquals(new int[] {2}, big.shape());
    }

    @Test
    void roundTripsFloat32AndFloat64() throws Exception {
        Path f = dir.resolve("a.npy");
        float[] x = {1.5f, -2f, 3e-8f, Float.MAX_VALUE, 0f, 7f};
        Npy.write(f, new int[] {3, 2}, x);
        byte[] bytes = Files.readAllBytes(f);
        // The data starts on a 64-byte boundary, as NumPy's writer aligns it.
        assertEquals(0, (10 + ((bytes[8] & 0xff) | (bytes[9] & 0xff) << 8)) % 64);
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new int[] {3, 2}, a.shape());
        assertArrayEquals(x, a.toFloats());
        assertEquals("<f4", a.dtype());
        Path g = dir.resolve("b.npy");
        double[] y = {Math.PI, -1e300, 0.1};
        Npy.write(g, new int[] {3}, y);
        Npy.Array b = Npy.read(g);
        assertArrayEquals(y, b.data());
        assertEquals("<f8", b.dtype());
        String header = new String(Files.readAllBytes(g), 10, 60, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (3,)"), header);
    }

    @Test
    void malformedFilesGiveClearErrors() {
        byte[] good = handMade("<f4", "False", "(2, 2)", floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4));
        assertMessage(Arrays.copyOf(good, good.length - 3), "truncated data");
        assertMessage(Arrays.copyOf(good, 20), "truncated .npy header");
        byte[] bad = good.clone();
        bad[1] = 'X';
        assertMessage(bad, "magic");
        assertMessage(handMade("<i8", "False", "(2,)", new byte[16]), "unsupported dtype '<i8'");
        assertMessage(handMade("<f4", "True", "(2, 2)", floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4)), "Fortran");
        assertMessage(handMade("<f4", "False", "(2, x)", new byte[16]), "malformed .npy shape");
        assertMessage(new byte[] {1, 2, 3}, "not a .npy file");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(dir.resolve("missing.npy")));
        assertTrue(e.getMessage().contains("missing.npy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("c.npy"), new int[] {3}, new float[2]));
    }

    private static void assertMessage(byte[] bytes, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.parse(bytes, "f.npy"));
        assertTrue(e.getMessage().contains(part) && e.getMessage().startsWith("f.npy"), e.getMessage());
    }
}
