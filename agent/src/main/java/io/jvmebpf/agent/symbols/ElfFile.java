package io.jvmebpf.agent.symbols;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A minimal ELF64 little-endian reader (x86-64, arm64): section headers, {@code PT_LOAD} segments,
 * the GNU build-id, and the function symbols of {@code .symtab} and {@code .dynsym}. The file is
 * memory-mapped and only the pages read are touched (libjvm's 30 MB file: its headers, symbol
 * tables and their names, about 5 MB); nothing is copied but the names of functions. Every read is
 * bounds-checked by the mapped segment, so a truncated or malformed file is an {@link IOException},
 * never a crash. Confined to the opening thread; {@link #close()} unmaps.
 */
public final class ElfFile implements AutoCloseable {
  private static final ValueLayout.OfShort U16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt U32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong U64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final int ELFCLASS64 = 2;
  private static final int ELFDATA2LSB = 1;
  private static final int SECTION_HEADER = 64;
  private static final int PROGRAM_HEADER = 56;
  private static final int SYMBOL = 24;
  private static final int PT_LOAD = 1;
  private static final int PT_NOTE = 4;
  private static final int STT_FUNC = 2;
  private static final int STT_GNU_IFUNC = 10;
  private static final int STB_WEAK = 2;
  private static final int STB_LOCAL = 0;
  private static final int NT_GNU_BUILD_ID = 3;
  private static final int SHN_XINDEX = 0xffff;
  private static final int PN_XNUM = 0xffff;

  private final Path path;
  private final Arena arena;
  private final MemorySegment file;
  private final List<ElfSection> sections;
  private final List<LoadSegment> loads;
  private final List<LoadSegment> notes;
  private final String buildId;

  private ElfFile(Path path, Arena arena, MemorySegment file) throws IOException {
    this.path = path;
    this.arena = arena;
    this.file = file;
    if (file.byteSize() < 64
        || file.get(U32, 0) != 0x464c457f // "\177ELF"
        || file.get(JAVA_BYTE, 4) != ELFCLASS64
        || file.get(JAVA_BYTE, 5) != ELFDATA2LSB) {
      throw new IOException(path + " is not an ELF64 little-endian file");
    }
    this.sections = readSections();
    List<LoadSegment> loadList = new ArrayList<>();
    List<LoadSegment> noteList = new ArrayList<>();
    readProgramHeaders(loadList, noteList);
    this.loads = List.copyOf(loadList);
    this.notes = List.copyOf(noteList);
    this.buildId = findBuildId();
  }

  public static ElfFile open(Path path) throws IOException {
    Arena arena = Arena.ofConfined();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return new ElfFile(
          path, arena, channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena));
    } catch (IOException e) {
      arena.close();
      throw e;
    } catch (RuntimeException e) {
      arena.close();
      throw new IOException(path + " is not a well-formed ELF file (" + e + ")", e);
    }
  }

  public Path path() {
    return path;
  }

  public List<ElfSection> sections() {
    return sections;
  }

  public List<LoadSegment> loadSegments() {
    return loads;
  }

  /**
   * @return the GNU build-id in lowercase hex (as {@code readelf -n} prints it), or null
   */
  public String buildId() {
    return buildId;
  }

  /**
   * @return the virtual address of a file offset, or -1 when no {@code PT_LOAD} maps it
   */
  public long virtualAddress(long fileOffset) {
    return LoadSegment.virtualAddress(loads, fileOffset);
  }

  /**
   * The functions ({@code STT_FUNC}, {@code STT_GNU_IFUNC}) defined in {@code .symtab} and {@code
   * .dynsym}, by virtual address, with their mangled names.
   *
   * @param maxSymbols a bound on the entries kept, past which symbols are dropped
   */
  SymbolTable functionSymbols(int maxSymbols) throws IOException {
    SymbolTableBuilder builder = new SymbolTableBuilder(maxSymbols);
    try {
      for (ElfSection section : sections) {
        if (section.type() == ElfSection.SHT_SYMTAB || section.type() == ElfSection.SHT_DYNSYM) {
          if (section.link() >= sections.size()) {
            throw new IOException("symbol table " + section.name() + " links to no section");
          }
          addFunctions(section, sections.get(section.link()), builder);
        }
      }
    } catch (RuntimeException e) {
      throw new IOException(path + ": malformed symbol table (" + e + ")", e);
    }
    return builder.build();
  }

  private void addFunctions(ElfSection symbols, ElfSection strings, SymbolTableBuilder builder) {
    if (symbols.type() == ElfSection.SHT_NOBITS || strings.type() == ElfSection.SHT_NOBITS) {
      return; // a separate debug file's copy of a stripped table
    }
    MemorySegment names = file.asSlice(strings.offset(), strings.size());
    byte[] name = new byte[256];
    long count = symbols.size() / SYMBOL;
    for (long i = 0; i < count; i++) {
      long at = symbols.offset() + i * SYMBOL;
      int info = file.get(JAVA_BYTE, at + 4) & 0xff;
      int type = info & 0xf;
      int shndx = file.get(U16, at + 6) & 0xffff;
      long value = file.get(U64, at + 8);
      if ((type != STT_FUNC && type != STT_GNU_IFUNC) || shndx == 0 || value == 0) {
        continue; // not a function, or one defined elsewhere (undefined: section 0)
      }
      long nameOffset = Integer.toUnsignedLong(file.get(U32, at));
      int length = 0;
      while (names.get(JAVA_BYTE, nameOffset + length) != 0) {
        length++;
      }
      if (length > name.length) {
        name = new byte[Math.max(length, name.length * 2)];
      }
      MemorySegment.copy(names, JAVA_BYTE, nameOffset, name, 0, length);
      int binding = info >>> 4;
      byte kept =
          binding == STB_WEAK
              ? SymbolTableBuilder.WEAK
              : binding == STB_LOCAL ? SymbolTableBuilder.LOCAL : SymbolTableBuilder.GLOBAL;
      builder.add(value, file.get(U64, at + 16), kept, name, 0, length);
    }
  }

  private List<ElfSection> readSections() throws IOException {
    long offset = file.get(U64, 40);
    int entrySize = file.get(U16, 58) & 0xffff;
    if (offset == 0) {
      return List.of(); // fully stripped of section headers: program headers still work
    }
    if (entrySize != SECTION_HEADER) {
      throw new IOException(path + ": section headers of " + entrySize + " bytes, not 64");
    }
    // With 65,280 sections or more, the counts live in section 0 (extended numbering).
    long count = file.get(U16, 60) & 0xffff;
    int namesIndex = file.get(U16, 62) & 0xffff;
    if (count == 0) {
      count = file.get(U64, offset + 32);
    }
    if (namesIndex == SHN_XINDEX) {
      namesIndex = file.get(U32, offset + 40);
    }
    if (count * SECTION_HEADER > file.byteSize() - offset) {
      throw new IOException(path + ": " + count + " section headers do not fit in the file");
    }
    List<ElfSection> list = new ArrayList<>((int) count);
    long namesOffset =
        count > namesIndex ? file.get(U64, offset + namesIndex * SECTION_HEADER + 24) : -1;
    for (int i = 0; i < count; i++) {
      long at = offset + (long) i * SECTION_HEADER;
      int nameOffset = file.get(U32, at);
      list.add(
          new ElfSection(
              namesOffset < 0 ? "" : string(namesOffset + Integer.toUnsignedLong(nameOffset)),
              file.get(U32, at + 4),
              file.get(U64, at + 16),
              file.get(U64, at + 24),
              file.get(U64, at + 32),
              file.get(U32, at + 40),
              file.get(U64, at + 56)));
    }
    return List.copyOf(list);
  }

  private void readProgramHeaders(List<LoadSegment> loadList, List<LoadSegment> noteList)
      throws IOException {
    long offset = file.get(U64, 32);
    int entrySize = file.get(U16, 54) & 0xffff;
    int count = file.get(U16, 56) & 0xffff;
    if (count == PN_XNUM && file.get(U64, 40) != 0) {
      count = file.get(U32, file.get(U64, 40) + 44);
    }
    if (offset == 0 || count == 0) {
      return;
    }
    if (entrySize != PROGRAM_HEADER) {
      throw new IOException(path + ": program headers of " + entrySize + " bytes, not 56");
    }
    for (int i = 0; i < count; i++) {
      long at = offset + (long) i * PROGRAM_HEADER;
      int type = file.get(U32, at);
      if (type == PT_LOAD || type == PT_NOTE) {
        LoadSegment segment =
            new LoadSegment(
                file.get(U64, at + 8),
                file.get(U64, at + 16),
                file.get(U64, at + 32),
                file.get(U64, at + 40),
                file.get(U32, at + 4));
        (type == PT_LOAD ? loadList : noteList).add(segment);
      }
    }
  }

  /** From {@code .note.gnu.build-id}, else from any note section or {@code PT_NOTE} segment. */
  private String findBuildId() {
    for (ElfSection section : sections) {
      if (section.type() == ElfSection.SHT_NOTE && section.name().equals(".note.gnu.build-id")) {
        String id = buildIdIn(section.offset(), section.size());
        if (id != null) {
          return id;
        }
      }
    }
    for (LoadSegment note : notes) {
      String id = buildIdIn(note.offset(), note.fileSize());
      if (id != null) {
        return id;
      }
    }
    return null;
  }

  /** Walks notes: namesz, descsz, type, then name and desc each padded to 4 bytes. */
  private String buildIdIn(long offset, long size) {
    long end = Math.min(offset + size, file.byteSize());
    long at = offset;
    while (at + 12 <= end) {
      long nameSize = Integer.toUnsignedLong(file.get(U32, at));
      long descSize = Integer.toUnsignedLong(file.get(U32, at + 4));
      int type = file.get(U32, at + 8);
      long name = at + 12;
      long desc = name + align4(nameSize);
      if (desc + descSize > end) {
        return null;
      }
      if (type == NT_GNU_BUILD_ID
          && nameSize == 4
          && file.get(U32, name) == 0x00554e47) { // "GNU\0"
        return HexFormat.of().formatHex(file.asSlice(desc, descSize).toArray(JAVA_BYTE));
      }
      at = desc + align4(descSize);
    }
    return null;
  }

  private static long align4(long n) {
    return (n + 3) & ~3L;
  }

  private String string(long offset) {
    long end = offset;
    while (file.get(JAVA_BYTE, end) != 0) {
      end++;
    }
    return new String(
        file.asSlice(offset, end - offset).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    arena.close();
  }
}
