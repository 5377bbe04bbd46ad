package org.isentropic.cli.conform;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.isentropic.base.UserInputException;

/**
 * The command line of a kernel under test, as a template: {@code python3 attn.py {q} {k} {v} {out}}.
 *
 * <p>The template is split into words the way a POSIX shell splits a simple command, without running a
 * shell: blanks separate words; inside single quotes every character is literal; inside double quotes a
 * backslash escapes only a backslash or a double quote and everything else is literal ({@code $1} stays
 * {@code $1}, for the {@code sh -c} the template may run); elsewhere a backslash escapes the next character.
 * Characters a shell would give a meaning that this split cannot ({@code | & ; < > ( ) $ `} and the glob
 * characters {@code * ?}) are refused when unquoted, with the hint to run a shell. After the split,
 * every placeholder {@code {name}} in a word is replaced by its value ({@link #PLACEHOLDERS}), so a path
 * with blanks stays one argument. {@code {q}}, {@code {k}}, {@code {v}} and {@code {out}} must each appear.
 */
public final class CommandTemplate {

    /**
     * The placeholders: the input files q, k (n x d) and v (n x dv), the output file out (n x dv), the
     * training length N, the dimensions d and dv and the length n of the case.
     */
    public static final List<String> PLACEHOLDERS = List.of("q", "k", "v", "out", "N", "n", "d", "dv");

    private static final List<String> REQUIRED = List.of("q", "k", "v", "out");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");
    private static final String SHELL_ONLY = "|&;<>()$`*?";

    private final String text;
    private final List<String> words;

    private CommandTemplate(String text, List<String> words) {
        this.text = text;
        this.words = List.copyOf(words);
    }

    /**
     * Splits and checks a template.
     *
     * @param option the option as typed, for messages ({@code --cmd})
     * @param text   the template
     * @return the template
     * @throws UserInputException naming the option: empty, an unterminated quote, an unquoted shell
     *                                  character, an unknown placeholder or a missing required one
     */
    public static CommandTemplate parse(String option, String text) {
        List<String> words = split(option, text);
        if (words.isEmpty()) {
            throw new UserInputException(option + ": empty command");
        }
        Set<String> used = new LinkedHashSet<>();
        for (String w : words) {
            Matcher m = PLACEHOLDER.matcher(w);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    throw new UserInputException(option + ": unknown placeholder '" + m.group() + "' (known: {"
                            + String.join("} {", PLACEHOLDERS) + "})");
                }
                used.add(m.group(1));
            }
        }
        for (String r : REQUIRED) {
            if (!used.contains(r)) {
                throw new UserInputException(option + ": the command must name {" + r + "} (the "
                        + (r.equals("out") ? "output file it writes" : "input file " + r) + "); it names "
                        + (used.isEmpty() ? "no placeholder" : "{" + String.join("} {", used) + "}"));
            }
        }
        return new CommandTemplate(text, words);
    }

    /** The template as typed. */
    public String text() {
        return text;
    }

    /** The words with every placeholder replaced by {@code values.get(name)}. */
    public List<String> argv(Map<String, String> values) {
        List<String> argv = new ArrayList<>(words.size());
        for (String w : words) {
            Matcher m = PLACEHOLDER.matcher(w);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalStateException("no value for placeholder " + m.group());
                }
                m.appendReplacement(b, Matcher.quoteReplacement(value));
            }
            m.appendTail(b);
            argv.add(b.toString());
        }
        return argv;
    }

    /**
     * Checks that the program (the first word) can be run: a word with a slash must be an executable file
     * (relative to the working directory); a bare name must be an executable file in a directory of
     * {@code PATH}. A program that is itself a placeholder is not checked.
     *
     * @throws UserInputException naming the option when it cannot
     */
    public void requireProgram(String option, String path) {
        String program = words.get(0);
        if (PLACEHOLDER.matcher(program).find()) {
            return;
        }
        try {
            if (program.contains("/")) {
                Path p = Path.of(program);
                if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                    throw new UserInputException(option + ": '" + program + "' is not an executable file");
                }
                return;
            }
            for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return;
                }
            }
        } catch (InvalidPathException e) {
            throw new UserInputException(option + ": '" + program + "' is not a valid program path");
        }
        throw new UserInputException(option + ": program '" + program + "' not found on PATH");
    }

    /** The words as a shell would need them typed (single-quoted where needed), for command.txt. */
    public static String shellQuoted(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(!a.isEmpty() && a.matches("[A-Za-z0-9_./=,:@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    private static List<String> split(String option, String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new UserInputException(option + ": unterminated single quote at offset " + i);
                }
                word.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (true) {
                    if (j >= text.length()) {
                        throw new UserInputException(option + ": unterminated double quote at offset " + i);
                    }
                    char d = text.charAt(j);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\' && j + 1 < text.length() && "\\\"".indexOf(text.charAt(j + 1)) >= 0) {
                        word.append(text.charAt(j + 1));
                        j += 2;
                    } else {
                        word.append(d);
                        j++;
                    }
                }
                inWord = true;
                i = j + 1;
            } else if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new UserInputException(option + ": a backslash ends the command");
                }
                word.append(text.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (SHELL_ONLY.indexOf(c) >= 0) {
                throw shellOnly(option, c);
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static UserInputException shellOnly(String option, char c) {
        return new UserInputException(option + ": '" + c + "' needs a shell, and conform runs the program"
                + " directly; quote it, or run a shell yourself: --cmd 'sh -c \"kernel $1 $2 $3 $4 | ...\" sh {q} {k}"
                + " {v} {out}' (the words after sh -c \"...\" sh are its $1 $2 ...)");
    }
}
