package io.jvmebpf.agent.symbols;

/**
 * One ELF64 section header, with its name resolved from {@code .shstrtab}.
 *
 * @param type {@code SHT_*}: 2 symtab, 7 note, 8 nobits (no bytes in the file), 11 dynsym
 * @param link for a symbol table, the index of its string table
 */
public record ElfSection(
    String name, int type, long address, long offset, long size, int link, long entrySize) {
  static final int SHT_SYMTAB = 2;
  static final int SHT_NOTE = 7;
  static final int SHT_NOBITS = 8;
  static final int SHT_DYNSYM = 11;
}
