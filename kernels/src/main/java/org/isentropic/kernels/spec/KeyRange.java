package org.isentropic.kernels.spec;

/**
 * A contiguous range of keys {@code [start, end)} whose attention mass a kernel reports per row
 * ({@link AttentionOutput#mass()}), e.g. the planted "focus" keys of a dilution study.
 *
 * @param start first key, &gt;= 0
 * @param end   one past the last key, &gt; start
 */
public record KeyRange(int start, int end) {
    public KeyRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("key range must satisfy 0 <= start < end, got [" + start + ", " + end + ")");
        }
    }
}
