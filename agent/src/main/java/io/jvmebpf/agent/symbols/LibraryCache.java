package io.jvmebpf.agent.symbols;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-binary symbol data, parsed once per file: keyed by GNU build-id when the file has one (the
 * same library under two paths, or mapped again after maps is re-read, is parsed once), else by
 * path, inode and modification time. A second map from what /proc/PID/maps shows (path, device,
 * inode) avoids even opening a file seen before. Both grow only with the distinct libraries the
 * process maps. Not thread-safe: {@link NativeSymbols} locks.
 */
final class LibraryCache {
  /** A bound per file; libjvm has 58,000 function symbols. */
  static final int MAX_SYMBOLS_PER_FILE = 1 << 21;

  private final Map<String, LibrarySymbols> byMapping = new HashMap<>();
  private final Map<String, LibrarySymbols> byFile = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  LibrarySymbols forMapping(Mapping mapping) {
    String key = mapping.path() + " " + mapping.device() + " " + mapping.inode();
    LibrarySymbols symbols = byMapping.get(key);
    if (symbols == null) {
      symbols = load(mapping);
      byMapping.put(key, symbols);
    }
    return symbols;
  }

  /** Files parsed, each once. */
  int parsed() {
    return byFile.size();
  }

  /** Why a file gave no symbols, one sentence per file. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  private LibrarySymbols load(Mapping mapping) {
    String fileName = mapping.fileName();
    // A deleted (replaced) file stays reachable through the mapping itself.
    Path file =
        mapping.isDeleted()
            ? Path.of(
                "/proc/self/map_files/"
                    + Long.toHexString(mapping.start())
                    + "-"
                    + Long.toHexString(mapping.end()))
            : Path.of(mapping.path());
    try (ElfFile elf = ElfFile.open(file)) {
      String key =
          elf.buildId() != null
              ? "build-id " + elf.buildId()
              : "file "
                  + mapping.path()
                  + " "
                  + mapping.inode()
                  + " "
                  + Files.getLastModifiedTime(file).toMillis();
      LibrarySymbols known = byFile.get(key);
      if (known != null) {
        return known.named(fileName);
      }
      LibrarySymbols symbols =
          new LibrarySymbols(
              LibrarySymbols.unnamedFrame(fileName),
              elf.loadSegments(),
              elf.functionSymbols(MAX_SYMBOLS_PER_FILE),
              null);
      byFile.put(key, symbols);
      return symbols;
    } catch (IOException | RuntimeException e) {
      String problem = "no symbols from " + mapping.path() + " (" + e.getMessage() + ")";
      problems.add(problem);
      return LibrarySymbols.unreadable(fileName, problem);
    } catch (InternalError e) {
      // A mapped file truncated while read faults; the JDK reports it as an InternalError.
      String problem = "no symbols from " + mapping.path() + " (changed while read: " + e + ")";
      problems.add(problem);
      return LibrarySymbols.unreadable(fileName, problem);
    }
  }
}
