package org.isentropic.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the kernels module (the root {@code org.isentropic.kernels} and its sub-packages spec,
 * reference, fused, isentropic, decode, io) depend on each other one way only: no cycle of packages, so that
 * each can be read with only the packages below it in mind. The dependencies are read from the main sources,
 * without compiling them and with no library beyond JUnit:
 * <ul>
 *   <li>a file's classes are those declared at its top level, in its package;</li>
 *   <li>a file refers to a class of another package through an import (single-type, static or on demand), a
 *       fully qualified name in its code, or a class name in a string literal (the reflective loads of the SIMD
 *       classes); comments do not count;</li>
 *   <li>a file refers to a class of its own package by its simple name.</li>
 * </ul>
 * The arrows between packages are the references between classes of different packages; a cycle among them
 * fails the test, naming every package of the cycle and the files that draw each of its arrows.
 */
class KernelPackagesTest {

    private static final String ROOT_PACKAGE = "org.isentropic.kernels";
    /** The main sources, relative to the module directory (surefire's working directory). */
    private static final Path SOURCES = Path.of("src", "main", "java", "org", "isentropic", "kernels");

    @Test
    void thePackagesOfTheKernelsDependOnEachOtherOneWayOnly() {
        Graph graph = Graph.of(mainSources());
        List<List<String>> cycles = graph.cycles();
        if (!cycles.isEmpty()) {
            fail("cycles between the packages of the kernels module:\n" + graph.describe(cycles));
        }
    }

    /** The parser sees the arrows the kernels are known to have, so an empty graph cannot pass for a clean one. */
    @Test
    void theGraphHasTheKnownArrows() {
        Map<String, Set<String>> arrows = Graph.of(mainSources()).packageArrows();
        String[][] known = {
            {ROOT_PACKAGE, "fused"}, {ROOT_PACKAGE, "reference"}, {ROOT_PACKAGE, "isentropic"},
            {"fused", "spec"}, {"reference", "spec"}, {"isentropic", "spec"},
            {"decode", "spec"}, {"decode", "fused"}, {"decode", "isentropic"},
        };
        for (String[] arrow : known) {
            String from = qualified(arrow[0]);
            String to = qualified(arrow[1]);
            assertTrue(arrows.getOrDefault(from, Set.of()).contains(to), "no arrow " + from + " -> " + to
                    + " found; arrows: " + arrows);
        }
    }

    @Test
    void aCycleIsFoundAndNamed() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("a/A.java", "package org.isentropic.kernels.a;\n\nimport org.isentropic.kernels.b.B;\n\n"
                + "public final class A { B b; }\n");
        sources.put("b/B.java", "package org.isentropic.kernels.b;\n\n/** Uses {@link org.isentropic.kernels.a.A} in a"
                + " comment only. */\npublic final class B { C c; }\n");
        sources.put("b/C.java", "package org.isentropic.kernels.b;\n\nfinal class C {\n"
                + "    Object a = org.isentropic.kernels.a.A.class;\n}\n");
        Graph graph = Graph.of(sources);
        List<List<String>> cycles = graph.cycles();
        assertEquals(1, cycles.size(), "cycles: " + cycles);
        assertEquals(Set.of("org.isentropic.kernels.a", "org.isentropic.kernels.b"), new TreeSet<>(cycles.get(0)));
        String described = graph.describe(cycles);
        assertTrue(described.contains("a/A.java") && described.contains("b/C.java"), described);
        assertTrue(!described.contains("b/B.java"), "a reference in a comment is no arrow: " + described);
    }

    @Test
    void reflectiveLoadsAndOnDemandImportsAreArrowsAndCommentsAreNot() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("a/A.java", "package org.isentropic.kernels.a;\n\nimport org.isentropic.kernels.b.*;\n\n"
                + "// import org.isentropic.kernels.c.C;\nfinal class A {\n    /* org.isentropic.kernels.d.D */\n"
                + "    String s = \"// not a comment: \" + \"org.isentropic.kernels.e.E\";\n}\n");
        Map<String, Set<String>> arrows = Graph.of(sources).packageArrows();
        assertEquals(Set.of("org.isentropic.kernels.b", "org.isentropic.kernels.e"),
                arrows.get("org.isentropic.kernels.a"));
        sources.put("e/E.java", "package org.isentropic.kernels.e;\n\nimport static org.isentropic.kernels.a.A.s;\n\n"
                + "final class E {}\n");
        assertEquals(1, Graph.of(sources).cycles().size(), "a static import back to a closes a cycle");
    }

    @Test
    void anAcyclicLayeringPasses() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("A.java", "package org.isentropic.kernels;\n\nimport org.isentropic.kernels.b.B;\n"
                + "import org.isentropic.kernels.c.C;\n\npublic final class A { B b; C c; }\n");
        sources.put("b/B.java", "package org.isentropic.kernels.b;\n\nimport org.isentropic.kernels.c.C;\n\n"
                + "public final class B { C c; }\n");
        sources.put("c/C.java", "package org.isentropic.kernels.c;\n\npublic final class C { D d; }\n");
        sources.put("c/D.java", "package org.isentropic.kernels.c;\n\nfinal class D { C c; }\n");
        assertEquals(List.of(), Graph.of(sources).cycles(), "a cycle inside one package is allowed");
    }

    private static String qualified(String subPackage) {
        return subPackage.equals(ROOT_PACKAGE) ? ROOT_PACKAGE : ROOT_PACKAGE + "." + subPackage;
    }

    /** Every main source file of the kernels module: its path relative to the root package's folder, its text. */
    private static Map<String, String> mainSources() {
        if (!Files.isDirectory(SOURCES)) {
            fail("no kernels sources at " + SOURCES.toAbsolutePath() + " (the test runs in the module's directory)");
        }
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                sources.put(SOURCES.relativize(file).toString().replace('\\', '/'),
                        Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(sources.size() > 20, "too few kernels sources found: " + sources.keySet());
        return sources;
    }

    /** One source file split into its code (comments and literals blanked) and its string literals. */
    private record Lexed(String code, List<String> strings) {

        static Lexed of(String source) {
            StringBuilder code = new StringBuilder(source.length());
            List<String> strings = new ArrayList<>();
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                    while (i < n && source.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                    int end = source.indexOf("*/", i + 2);
                    i = end < 0 ? n : end + 2;
                    code.append(' ');
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    int stop = end < 0 ? n : end;
                    strings.add(source.substring(i + 3, stop));
                    code.append("\"\"");
                    i = end < 0 ? n : end + 3;
                } else if (c == '"' || c == '\'') {
                    StringBuilder literal = new StringBuilder();
                    i++;
                    while (i < n && source.charAt(i) != c && source.charAt(i) != '\n') {
                        if (source.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        literal.append(source.charAt(i));
                        i++;
                    }
                    i++;
                    if (c == '"') {
                        strings.add(literal.toString());
                    }
                    code.append(c).append(c);
                } else {
                    code.append(c);
                    i++;
                }
            }
            return new Lexed(code.toString(), strings);
        }
    }

    /** The classes of the kernels' sources and their references, and the arrows between packages they draw. */
    private static final class Graph {

        private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
        private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;",
                Pattern.MULTILINE);
        private static final Pattern QUALIFIED = Pattern.compile(
                "\\b" + Pattern.quote(ROOT_PACKAGE) + "(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");
        private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
                "^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+|strictfp\\s+)*"
                        + "(?:class|interface|enum|record|@interface)\\s+(\\w+)", Pattern.MULTILINE);
        private static final Pattern IDENTIFIER = Pattern.compile("\\b[A-Z]\\w*\\b");

        /** Class name (package.Simple) to the file that declares it. */
        private final Map<String, String> fileOf = new TreeMap<>();
        /** Class-level references: file to the classes it refers to (qualified), with the kind of reference. */
        private final Map<String, Map<String, String>> references = new TreeMap<>();
        private final Map<String, String> packageOf = new TreeMap<>();

        static Graph of(Map<String, String> sources) {
            Graph g = new Graph();
            Map<String, Lexed> lexed = new TreeMap<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Lexed l = Lexed.of(e.getValue());
                lexed.put(e.getKey(), l);
                Matcher p = PACKAGE.matcher(l.code());
                String pkg = p.find() ? p.group(1) : "";
                g.packageOf.put(e.getKey(), pkg);
                Matcher t = TOP_LEVEL_TYPE.matcher(l.code());
                while (t.find()) {
                    g.fileOf.put(pkg + "." + t.group(1), e.getKey());
                }
            }
            for (Map.Entry<String, Lexed> e : lexed.entrySet()) {
                g.read(e.getKey(), e.getValue());
            }
            return g;
        }

        private void read(String file, Lexed source) {
            String pkg = packageOf.get(file);
            Map<String, String> refs = new TreeMap<>();
            Matcher m = IMPORT.matcher(source.code());
            while (m.find()) {
                String name = m.group(2);
                boolean onDemand = m.group(3) != null;
                String target = onDemand && !startsWithType(name) ? name + ".*" : typeOf(name);
                refs.putIfAbsent(target, "imports " + target);
            }
            Matcher q = QUALIFIED.matcher(source.code());
            while (q.find()) {
                refs.putIfAbsent(q.group(), "names " + q.group());
            }
            for (String literal : source.strings()) {
                Matcher s = QUALIFIED.matcher(literal);
                while (s.find()) {
                    refs.putIfAbsent(s.group(), "loads \"" + s.group() + "\"");
                }
            }
            Set<String> simpleNames = new TreeSet<>();
            Matcher id = IDENTIFIER.matcher(source.code());
            while (id.find()) {
                simpleNames.add(id.group());
            }
            for (String cls : fileOf.keySet()) {
                if (packageOfClass(cls).equals(pkg) && simpleNames.contains(cls.substring(pkg.length() + 1))
                        && !fileOf.get(cls).equals(file)) {
                    refs.putIfAbsent(cls, "uses " + cls.substring(pkg.length() + 1));
                }
            }
            references.put(file, refs);
        }

        /** For {@code a.b.C.D} (a nested type or a static member) the top-level type {@code a.b.C}. */
        private static String typeOf(String name) {
            String[] parts = name.split("\\.");
            StringBuilder b = new StringBuilder();
            for (String part : parts) {
                b.append(b.length() == 0 ? "" : ".").append(part);
                if (Character.isUpperCase(part.charAt(0))) {
                    return b.toString();
                }
            }
            return b.toString();
        }

        private static boolean startsWithType(String name) {
            for (String part : name.split("\\.")) {
                if (Character.isUpperCase(part.charAt(0))) {
                    return true;
                }
            }
            return false;
        }

        /** The package of a referenced name: a type's package, or the package of an on-demand import. */
        private static String packageOfClass(String name) {
            if (name.endsWith(".*")) {
                return name.substring(0, name.length() - 2);
            }
            int dot = typeOf(name).lastIndexOf('.');
            return dot < 0 ? "" : name.substring(0, dot);
        }

        private static boolean inKernels(String pkg) {
            return pkg.equals(ROOT_PACKAGE) || pkg.startsWith(ROOT_PACKAGE + ".");
        }

        /** Package to the kernels packages its classes refer to (its own excluded). */
        Map<String, Set<String>> packageArrows() {
            Map<String, Set<String>> arrows = new TreeMap<>();
            for (Map.Entry<String, Map<String, String>> e : references.entrySet()) {
                String from = packageOf.get(e.getKey());
                Set<String> to = arrows.computeIfAbsent(from, k -> new TreeSet<>());
                for (String ref : e.getValue().keySet()) {
                    String target = packageOfClass(ref);
                    if (inKernels(target) && !target.equals(from)) {
                        to.add(target);
                    }
                }
            }
            return arrows;
        }

        /** One cycle (its packages in order) per strongly connected group of more than one package. */
        List<List<String>> cycles() {
            Map<String, Set<String>> arrows = packageArrows();
            List<List<String>> cycles = new ArrayList<>();
            Set<String> covered = new TreeSet<>();
            for (String start : arrows.keySet()) {
                if (covered.contains(start)) {
                    continue;
                }
                List<String> cycle = shortestCycle(arrows, start);
                if (cycle != null) {
                    cycles.add(cycle);
                    covered.addAll(reachableBothWays(arrows, start));
                }
            }
            return cycles;
        }

        /** The shortest path start -> ... -> start, breadth first; null when start is on no cycle. */
        private static List<String> shortestCycle(Map<String, Set<String>> arrows, String start) {
            Map<String, String> previous = new LinkedHashMap<>();
            List<String> frontier = new ArrayList<>(List.of(start));
            while (!frontier.isEmpty()) {
                List<String> next = new ArrayList<>();
                for (String p : frontier) {
                    for (String q : arrows.getOrDefault(p, Set.of())) {
                        if (q.equals(start)) {
                            List<String> path = new ArrayList<>();
                            for (String x = p; x != null; x = previous.get(x)) {
                                path.add(0, x);
                            }
                            return path;
                        }
                        if (!previous.containsKey(q)) {
                            previous.put(q, p);
                            next.add(q);
                        }
                    }
                }
                frontier = next;
            }
            return null;
        }

        private static Set<String> reachableBothWays(Map<String, Set<String>> arrows, String start) {
            Set<String> forward = reachable(arrows, start);
            Set<String> both = new TreeSet<>();
            for (String p : forward) {
                if (reachable(arrows, p).contains(start)) {
                    both.add(p);
                }
            }
            return both;
        }

        private static Set<String> reachable(Map<String, Set<String>> arrows, String start) {
            Set<String> seen = new TreeSet<>(List.of(start));
            List<String> todo = new ArrayList<>(List.of(start));
            while (!todo.isEmpty()) {
                for (String q : arrows.getOrDefault(todo.remove(todo.size() - 1), Set.of())) {
                    if (seen.add(q)) {
                        todo.add(q);
                    }
                }
            }
            return seen;
        }

        /** Each cycle as its arrows, each arrow with the files that draw it and how. */
        String describe(List<List<String>> cycles) {
            StringBuilder b = new StringBuilder();
            for (List<String> cycle : cycles) {
                b.append(String.join(" -> ", cycle)).append(" -> ").append(cycle.get(0)).append('\n');
                for (int k = 0; k < cycle.size(); k++) {
                    String from = cycle.get(k);
                    String to = cycle.get((k + 1) % cycle.size());
                    b.append("  ").append(from).append(" -> ").append(to).append(":\n");
                    for (Map.Entry<String, Map<String, String>> e : references.entrySet()) {
                        if (!packageOf.get(e.getKey()).equals(from)) {
                            continue;
                        }
                        for (Map.Entry<String, String> r : e.getValue().entrySet()) {
                            if (packageOfClass(r.getKey()).equals(to)) {
                                b.append("    ").append(e.getKey()).append(' ').append(r.getValue()).append('\n');
                            }
                        }
                    }
                }
            }
            return b.toString();
        }
    }
}
