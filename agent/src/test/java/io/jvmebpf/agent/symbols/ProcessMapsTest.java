package io.jvmebpf.agent.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessMapsTest {
  @Test
  void linesOfMapsAsTheKernelPrintsThem() {
    Mapping libc =
        ProcessMaps.parse(
            "7f42144af000-7f4214605000 r-xp 00026000 fe:00 339380                    "
                + " /usr/lib/x86_64-linux-gnu/libc.so.6");
    assertEquals(
        new Mapping(
            0x7f42144af000L,
            0x7f4214605000L,
            true,
            0x26000,
            "fe:00",
            339380,
            "/usr/lib/x86_64-linux-gnu/libc.so.6"),
        libc);
    assertEquals("libc.so.6", libc.fileName());

    Mapping codeCache = ProcessMaps.parse("7f41f43ff000-7f41f466f000 rwxp 00000000 00:00 0 ");
    assertTrue(codeCache.isAnonymous() && codeCache.executable());

    Mapping spaced =
        ProcessMaps.parse("1000-2000 r-xp 00000000 08:01 42   /opt/my app/lib x.so (deleted)");
    assertTrue(spaced.isDeleted());
    assertEquals("lib x.so", spaced.fileName());

    Mapping vdso =
        ProcessMaps.parse("7fff1000-7fff3000 r-xp 00000000 00:00 0                  [vdso]");
    assertFalse(vdso.isFile() || vdso.isAnonymous());
    assertNull(ProcessMaps.parse("not a mapping"));
  }

  @Test
  void libcsWriteIsInLibcsExecutableMapping() throws IOException {
    ProcessMaps maps = ProcessMaps.read(ProcessMaps.SELF);
    Mapping mapping = maps.get(maps.find(ThisProcess.libc("write")));
    assertTrue(mapping.executable());
    assertTrue(mapping.fileName().startsWith("libc"), mapping.toString());
    assertTrue(Path.of(mapping.path()).isAbsolute());
    assertEquals(-1, maps.find(0x10), "nothing is mapped at the first page");
  }
}
