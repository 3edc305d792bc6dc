package io.jvmebpf.agent.config;

/**
 * The per-file I/O probe's settings: {@code files=}, {@code files.max=}.
 *
 * @param on whether it runs
 * @param max how many files {@code summary.json} lists, heaviest first; the rest are summed in one
 *     row named {@code [other]}, so that totals stay exact
 */
public record FilesOptions(boolean on, int max) {
  public static final int DEFAULT_MAX = 1_000;
  public static final int MAX_MAX = 1 << 20;

  public static FilesOptions defaults() {
    return new FilesOptions(true, DEFAULT_MAX);
  }
}
