package org.isentropic.cli;

import picocli.CommandLine.Option;

/**
 * The threads a command computes on ({@code --threads}, 1 to 256). Each command chooses its default by
 * constructing this mixin: attend one, the figures and the experiment every available processor.
 */
public final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads to compute on, 1 to 256 (default: ${DEFAULT-VALUE}).")
    int threads;

    /** Defaults to {@code defaultThreads}. */
    ThreadsOption(int defaultThreads) {
        this.threads = defaultThreads;
    }

    /** Defaults to the available processors (at most 256). */
    ThreadsOption() {
        this(Math.min(256, Runtime.getRuntime().availableProcessors()));
    }

    /** The thread count, checked. */
    int checked() {
        return OptionChecks.inRange("--threads", threads, 1, 256);
    }
}
