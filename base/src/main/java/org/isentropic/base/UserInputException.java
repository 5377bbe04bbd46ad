package org.isentropic.base;

/**
 * Bad input from the user: an option or argument as typed, a file named on the command line that cannot be
 * read as what it should be, an output path that cannot be written, a request larger than the machine can
 * give. The message starts with the option as the user typed it ({@code --head-dim: must be >= 1, got 0}).
 * The command maps it to exit code 2 and prints the message as one line.
 *
 * <p>It is deliberately not an {@link IllegalArgumentException}: libraries throw those for arguments that
 * break a method's contract, and when one escapes a command it is a bug in the caller (exit 1, "internal
 * error"), not the user's mistake. A command that passes user input straight to a library and wants the
 * library's complaint reported as bad input wraps that one call and rethrows this type, naming the option.
 */
public final class UserInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, starting with the option or input as typed */
    public UserInputException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, starting with the option or input as typed
     * @param cause   the library's complaint about the value, kept for {@code --debug}
     */
    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
