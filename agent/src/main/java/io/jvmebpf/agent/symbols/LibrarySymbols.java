package io.jvmebpf.agent.symbols;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.util.List;

/**
 * What one mapped ELF file needs to name its code: its load segments and function symbols, and the
 * frame shown for an address no symbol covers ({@code [libfoo.so]}), so that a stripped library
 * still reads as itself in a profile.
 *
 * @param problem why the file gave no symbols (unreadable, not ELF), or null
 */
record LibrarySymbols(
    Frame unnamed, List<LoadSegment> loads, SymbolTable functions, String problem) {
  static LibrarySymbols unreadable(String fileName, String problem) {
    return new LibrarySymbols(unnamedFrame(fileName), List.of(), SymbolTable.EMPTY, problem);
  }

  static Frame unnamedFrame(String fileName) {
    return new Frame("[" + fileName + "]", FrameKind.NATIVE);
  }

  /** The same file's symbols, shown under another name when none matches. */
  LibrarySymbols named(String fileName) {
    return new LibrarySymbols(unnamedFrame(fileName), loads, functions, problem);
  }

  /**
   * @param fileOffset the address's offset in the file: {@code pc - mapStart + mapOffset}
   */
  Frame resolve(long fileOffset, Demangler demangler) {
    long address = LoadSegment.virtualAddress(loads, fileOffset);
    int index = address == -1 ? -1 : functions.find(address);
    return index < 0
        ? unnamed
        : new Frame(demangler.demangle(functions.name(index)), FrameKind.NATIVE);
  }
}
