package org.isentropic.base;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The output policy of every command, in one place. Before any work a command registers its inputs and
 * checks each output it will write ({@link #file}, {@link #directory}, {@link #fileIn}): symbolic links are
 * resolved, and an output that is a directory where a file is meant, not writable, in a missing or
 * unwritable directory, the same file as an input (also through a link) or the same file as another
 * output is refused with an {@link UserInputException} naming the option as typed (exit 2) while
 * nothing has been created yet. After the work, {@link #write} writes each file to a temporary name in
 * its target's directory and renames it into place, creating the directories a {@code --out DIR} needs
 * only then: a failure leaves neither a partial file nor a directory behind.
 *
 * <pre>
 *   OutputFiles files = new OutputFiles().input("--q", q);
 *   Path o = files.file("--out-o", outO);                  // checked, nothing written yet
 *   ... compute ...
 *   files.write(o, tmp -> Npy.write(tmp, shape, data));  // temporary file + rename
 * </pre>
 */
public final class OutputFiles {

    /** Writes the content of one file to the path it is given (a temporary file next to the target). */
    @FunctionalInterface
    public interface Body {
        void writeTo(Path temporary) throws IOException;
    }

    private final List<Path> inputs = new ArrayList<>();
    private final List<String> inputOptions = new ArrayList<>();
    /** Resolved target of each output -> the option that asked for it. */
    private final Map<Path, String> outputs = new LinkedHashMap<>();

    /** Registers an input file (it must exist: inputs are read before outputs are checked against them). */
    public OutputFiles input(String option, Path file) {
        if (file != null && Files.exists(file)) {
            inputs.add(file);
            inputOptions.add(option);
        }
        return this;
    }

    /**
     * Checks an output file given by {@code option}.
     *
     * @return the resolved path to write (symbolic links followed)
     * @throws UserInputException naming the option when the file may not or cannot be written
     */
    public Path file(String option, Path file) {
        Path target = resolveFile(option, file);
        claim(option, file, target);
        return target;
    }

    /**
     * Checks an output directory (created by {@link #write} when missing): it must be a directory or not
     * exist, and the nearest existing ancestor must be a writable directory.
     *
     * @return the resolved directory (not created)
     */
    public Path directory(String option, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new UserInputException(option + ": " + dir + " exists and is not a directory");
            }
            Path real = realPath(option, abs);
            if (!writable(real)) {
                throw new UserInputException(option + ": directory " + dir + " is not writable");
            }
            return real;
        }
        if (Files.isSymbolicLink(abs)) {
            throw new UserInputException(option + ": " + dir + " is a dangling symbolic link");
        }
        Path existing = abs.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UserInputException(option + ": cannot create " + dir + ": " + existing
                    + " is not a directory");
        }
        if (!writable(existing)) {
            throw new UserInputException(option + ": cannot create " + dir + ": " + existing + " is not writable");
        }
        return realPath(option, existing).resolve(existing.relativize(abs));
    }

    /** Checks a file named {@code name} inside a directory already checked with {@link #directory}. */
    public Path fileIn(String option, Path checkedDirectory, String name) {
        Path target = checkedDirectory.resolve(name);
        if (Files.exists(checkedDirectory)) {
            target = resolveFile(option, target);
        }
        claim(option, checkedDirectory.resolve(name), target);
        return target;
    }

    /**
     * Writes one checked output: the body writes a temporary file in the target's directory (created
     * now if a checked {@code --out DIR} did not exist), which is then renamed onto the target.
     *
     * @throws UncheckedIOException naming the file and the reason (a failure while running: exit 1)
     */
    public static void write(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(dir);
            temporary = temporaryIn(dir, target.getFileName().toString());
            body.writeTo(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write already failed; that failure is the one to report
                }
            }
        }
    }

    /** Writes text (UTF-8) to a checked output through a temporary file. */
    public static void writeString(Path target, String text) {
        write(target, t -> Files.writeString(t, text, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The reason of an I/O failure in a few words (no class names, no stack). */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static Path temporaryIn(Path dir, String name) throws IOException {
        while (true) {
            // hidden, and ending like the target (writers such as xchart's append a missing extension)
            Path t = dir.resolve(".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-" + name);
            try {
                return Files.createFile(t);
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    private Path resolveFile(String option, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (Files.isDirectory(abs)) {
                throw new UserInputException(option + ": " + file + " is a directory (need a file name)");
            }
            Path real = realPath(option, abs);
            if (!Files.isRegularFile(real)) {
                throw new UserInputException(option + ": " + file + " is not a regular file");
            }
            if (!Files.isWritable(real) || !writable(real.getParent())) {
                throw new UserInputException(option + ": " + file + " is not writable");
            }
            return real;
        }
        if (Files.isSymbolicLink(abs)) {
            throw new UserInputException(option + ": " + file + " is a dangling symbolic link");
        }
        Path parent = abs.getParent();
        if (!Files.exists(parent)) {
            throw new UserInputException(option + ": directory " + parent + " does not exist");
        }
        if (!Files.isDirectory(parent)) {
            throw new UserInputException(option + ": " + parent + " is not a directory");
        }
        if (!writable(parent)) {
            throw new UserInputException(option + ": directory " + parent + " is not writable");
        }
        return realPath(option, parent).resolve(abs.getFileName());
    }

    /**
     * Whether a file can be created in the directory: the permission bits, then a probe file created and
     * deleted at once, which also catches what permissions do not show (a read-only mount, a pseudo file
     * system such as /proc, a root user that access(2) lets through).
     */
    private static boolean writable(Path dir) {
        if (!Files.isWritable(dir)) {
            return false;
        }
        try {
            Files.delete(temporaryIn(dir, "probe"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void claim(String option, Path given, Path target) {
        for (int i = 0; i < inputs.size(); i++) {
            if (sameFile(target, inputs.get(i))) {
                throw new UserInputException(option + ": " + given + " is the same file as the input "
                        + inputOptions.get(i) + " " + inputs.get(i) + "; it would be overwritten");
            }
        }
        String other = outputs.get(target);
        if (other != null) {
            throw new UserInputException(option + ": " + given + " is also the output of " + other
                    + "; one would overwrite the other");
        }
        outputs.put(target, option);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path realPath(String option, Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UserInputException(option + ": cannot resolve " + p + ": " + reason(e));
        }
    }
}
