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

    /** A version-1.0 file with the header dict given verbatim. */
    private static byte[] withDict(String dict, byte[] data) {
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
        return b.array();
    }

    @Test
    void aKeyGivenTwiceKeepsItsLastValueAsInNumpy() {
        // numpy.load reads the header with ast.literal_eval: a Python dict literal keeps the last value.
        byte[] f8 = new byte[16];
        ByteBuffer.wrap(f8).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2);
        Npy.Array a = Npy.parse(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'descr': '<f8', }", f8),
                "x");
        assertEquals("<f8", a.dtype());
        assertArrayEquals(new double[] {1.5, -2}, a.data());
        Npy.Array b = Npy.parse(withDict("{\"shape\": (4,), 'descr': '<f4', 'fortran_order': True, 'shape': (1, 2),"
                + " 'fortran_order': False}", floats(ByteOrder.LITTLE_ENDIAN, 3, 4)), "x");
        assertArrayEquals(new int[] {1, 2}, b.shape());
        assertArrayEquals(new float[] {3, 4}, b.toFloats());
    }

    @Test
    void headersNumpyRejectsAreRejected() {
        byte[] data = floats(ByteOrder.LITTLE_ENDIAN, 1, 2);
        assertMessage(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': True}", data),
                "keys");
        assertMessage(withDict("{'descr': '<f4', 'shape': (2,)}", data), "keys");
        assertMessage(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", data), "not a tuple");
        assertMessage(withDict("{'descr': '<f4', 'fortran_order': 'no', 'shape': (2,)}", data), "fortran_order");
        assertMessage(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk", data), "after the dict");
        assertMessage(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", data), "negative dimension");
    }

    @Test
    void aDeclaredSizeBeyondTheFileIsRefusedBeforeAllocating() throws Exception {
        // (1, 500000000) float32 values declared, 8 bytes present: refused from the header alone.
        Path f = dir.resolve("sparse.npy");
        Files.write(f, handMade("<f4", "False", "(1, 500000000)", floats(ByteOrder.LITTLE_ENDIAN, 1, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("truncated data") && e.getMessage().contains("2000000000 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npy.header(f));
        Files.write(f, handMade("<f8", "False", "(100000, 100000)", new byte[8]));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> Npy.header(f));
        assertTrue(big.getMessage().contains("too large"), big.getMessage());
    }

    @Test
    void theHeaderAloneGivesTheShapeAndTheMemoryARead() throws Exception {
        Path f = dir.resolve("h.npy");
        Npy.write(f, new int[] {3, 5}, new float[15]);
        Npy.Header h = Npy.header(f);
        assertArrayEquals(new int[] {3, 5}, h.shape());
        assertEquals(15, h.count());
        assertEquals(15 * 8, h.bytesInMemory());
        assertEquals(Files.size(f), h.dataOffset() + 15 * 4);
    }

    @Test
    void devicesFifosAndDirectoriesAreRefused() throws Exception {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(zero));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        }
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> Npy.read(dir));
        assertTrue(d.getMessage().contains("a directory"), d.getMessage());
        Path fifo = dir.resolve("fifo.npy");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            made = false;
        }
        if (made) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(fifo));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(dir.resolve("nope.npy")));
        assertTrue(missing.getMessage().endsWith("nope.npy: no such file"), missing.getMessage());
    }

    private static void assertMessage(byte[] bytes, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.parse(bytes, "f.npy"));
        assertTrue(e.getMessage().contains(part) && e.getMessage().startsWith("f.npy"), e.getMessage());
    }
}
