package io.jvmebpf.agent.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvmebpf.agent.jit.JvmCodeCache.Compiled;
import io.jvmebpf.agent.jit.JvmCodeCache.Mapped;
import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code map in this very JVM, held against what the JVM itself lists: {@code Compiler.codelist}
 * for compiled methods, {@code Compiler.perfmap} for the interpreter.
 */
class JitCodeMapTest {
  private JitCodeMap map;

  @BeforeAll
  static void warmUp() throws Exception {
    Workload.warm();
  }

  @AfterEach
  void close() {
    if (map != null) {
      map.close();
    }
  }

  @Test
  void namesACompiledMethodAtTheAddressesTheJvmLists() throws Exception {
    map = JitCodeMap.start();
    List<Compiled> compiled = JvmCodeCache.codelist(Workload.HOT);
    assertFalse(compiled.isEmpty());
    for (Compiled c : compiled) {
      Frame expected = new Frame(Workload.HOT, FrameKind.JIT);
      long middle = c.begin() + (c.end() - c.begin()) / 2;
      // Code the JIT installed just now reaches JVMTI through the service thread: drain a while.
      awaitTrue(
          () -> map.drain() >= 0 && !map.resolve(middle).isEmpty(),
          c + " never appeared in the map");
      for (long pc : new long[] {c.begin(), middle, c.end() - 1}) {
        List<Frame> frames = map.resolve(pc);
        assertEquals(expected, frames.get(0), c + " at 0x" + Long.toHexString(pc) + ": " + frames);
        assertTrue(
            frames.stream().skip(1).allMatch(f -> f.kind() == FrameKind.INLINED),
            frames.toString());
      }
    }
  }

  @Test
  void showsTheInlinedCalleeUnderItsCaller() throws Exception {
    map = JitCodeMap.start();
    List<Frame> callerThenTiny =
        List.of(
            new Frame(Workload.CALLER, FrameKind.JIT), new Frame(Workload.TINY, FrameKind.INLINED));
    List<Compiled> compiled = JvmCodeCache.codelist(Workload.CALLER);
    Compiled c2 = compiled.stream().filter(c -> c.level() == 4).findFirst().orElseThrow();
    awaitTrue(
        () -> map.drain() >= 0 && !map.resolve(c2.begin()).isEmpty(),
        c2 + " never appeared in the map");

    Set<List<Frame>> chains = new LinkedHashSet<>();
    for (long pc = c2.begin(); pc < c2.end(); pc++) {
      List<Frame> frames = map.resolve(pc);
      assertEquals(
          new Frame(Workload.CALLER, FrameKind.JIT), frames.get(0), "at 0x" + Long.toHexString(pc));
      chains.add(frames);
    }
    assertTrue(chains.contains(callerThenTiny), "no pc of " + c2 + " is in tiny: " + chains);
  }

  @Test
  void knowsTheInterpreterWhereThePerfMapPutsIt(@TempDir Path dir) throws Exception {
    map = JitCodeMap.start();
    Mapped interpreter =
        JvmCodeCache.perfmap(dir.resolve("perf.map")).stream()
            .filter(m -> m.name().equals("Interpreter"))
            .findFirst()
            .orElseThrow();
    long start = interpreter.start();
    long end = start + interpreter.size();

    assertTrue(map.isInterpreter(start));
    assertTrue(map.isInterpreter(start + interpreter.size() / 2));
    assertTrue(map.isInterpreter(end - 1));
    assertFalse(map.isInterpreter(start - 1));
    assertFalse(map.isInterpreter(end));
    assertEquals(List.of(new Frame("Interpreter", FrameKind.NATIVE)), map.resolve(start));
    // Compiled code is never taken for the interpreter.
    Compiled hot = JvmCodeCache.codelist(Workload.HOT).get(0);
    assertFalse(map.isInterpreter(hot.begin()));
  }

  @Test
  void namesEveryStubThePerfMapLists(@TempDir Path dir) throws Exception {
    map = JitCodeMap.start();
    List<Mapped> perfmap = JvmCodeCache.perfmap(dir.resolve("perf.map"));
    List<Compiled> compiled = JvmCodeCache.codelist();
    // Not Java code, not the interpreter, not the vtable chunks (JVMTI names their stubs alone),
    // not C2's scratch buffers ("Compile::scratch_buffer", "Compile::Fill_buffer"): blobs a
    // compilation under way writes into, never run, of which JVMTI says nothing; the perf map lists
    // them when C2 happens to be compiling (seen once in a CI run).
    List<Mapped> stubs =
        perfmap.stream()
            .filter(m -> !m.name().equals("Interpreter") && !m.name().equals("vtable chunks"))
            .filter(m -> !m.name().startsWith("Compile::"))
            .filter(
                m ->
                    compiled.stream().noneMatch(c -> c.begin() <= m.start() && m.start() < c.end()))
            .toList();
    assertTrue(stubs.size() > 50, "the perf map lists only " + stubs.size() + " stubs");

    // Blobs made since start (adapters) reach JVMTI through the service thread: drain a while.
    awaitTrue(
        () -> map.drain() >= 0 && stubs.stream().allMatch(m -> map.resolve(m.start()).size() == 1),
        "stubs are missing: "
            + stubs.stream().filter(m -> map.resolve(m.start()).isEmpty()).limit(5).toList());
    long sameName = 0;
    for (Mapped m : stubs) {
      Frame frame = map.resolve(m.start()).get(0);
      assertEquals(FrameKind.NATIVE, frame.kind(), m + " -> " + frame);
      assertFalse(map.isInterpreter(m.start()), m.toString());
      sameName += frame.name().equals(m.name()) ? 1 : 0;
    }
    // The rest are blobs the perf map lists whole and JVMTI stub by stub, e.g.
    // "StubRoutines (initialstubs)", whose first stub is "forward_exception".
    assertTrue(
        sameName > stubs.size() * 9 / 10,
        sameName + " of " + stubs.size() + " named as in perf map");
  }

  @Test
  void namesAHiddenLambdaClassWithoutItsAddress() throws Exception {
    map = JitCodeMap.start();
    // "io.jvmebpf.agent.jit.Workload$$Lambda/0x000000002a0c7a38.applyAsInt"
    Compiled lambda =
        JvmCodeCache.codelist().stream()
            .filter(
                c ->
                    c.name().startsWith(Workload.class.getName() + "$$Lambda/")
                        && c.name().endsWith(".applyAsInt"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the JIT compiled no Workload lambda"));
    String expected = Workload.class.getName() + "$$Lambda.applyAsInt";
    awaitTrue(
        () -> map.drain() >= 0 && !map.resolve(lambda.begin()).isEmpty(),
        lambda + " never appeared in the map");
    assertEquals(new Frame(expected, FrameKind.JIT), map.resolve(lambda.begin()).get(0));
  }

  @Test
  void forgetsCodeTheJvmUnloads() throws Throwable {
    map = JitCodeMap.start();
    String prefix = Unloadable.class.getName() + "/0x"; // the JVM's name of a hidden Unloadable
    Compiled spin = compileHiddenUnloadable(prefix);
    Frame named = new Frame(Unloadable.class.getName() + ".spin", FrameKind.JIT);
    awaitTrue(
        () -> map.drain() >= 0 && map.resolve(spin.begin()).contains(named),
        spin + " never appeared in the map");
    long unloadsBefore = map.stats().unloads();

    // Unreferenced, the hidden class goes with the next full collection, and its code with it.
    awaitTrue(
        () -> gcAndList().stream().noneMatch(c -> c.id() == spin.id()),
        spin + " was never unloaded");
    awaitTrue(
        () -> map.drain() >= 0 && map.stats().unloads() > unloadsBefore,
        "no unload reached the map");
    // The JIT often reuses the memory at once: the map must name what the JVM lists there now.
    awaitTrue(
        () -> {
          map.drain();
          List<Frame> frames = map.resolve(spin.begin());
          List<String> listed =
              listCode().stream()
                  .filter(c -> spin.begin() >= c.begin() && spin.begin() < c.end())
                  .map(Compiled::name)
                  .toList();
          return listed.isEmpty()
              ? frames.isEmpty() || frames.get(0).kind() == FrameKind.NATIVE
              : !frames.isEmpty() && sameMethod(listed.get(0), frames.get(0).name());
        },
        "the map still names " + spin + " after the JVM unloaded it");
  }

  /**
   * A codelist name ("Outer$$Lambda/0x1234.m") and a map name ("Outer$$Lambda.m") of one method.
   */
  private static boolean sameMethod(String listed, String mapped) {
    return listed.replaceAll("[/.+]0x\\p{XDigit}+\\.", ".").equals(mapped);
  }

  private static Compiled compileHiddenUnloadable(String prefix) throws Throwable {
    byte[] bytes;
    try (var in = Unloadable.class.getResourceAsStream("Unloadable.class")) {
      bytes = in.readAllBytes();
    }
    Class<?> hidden = MethodHandles.lookup().defineHiddenClass(bytes, true).lookupClass();
    MethodHandle spin =
        MethodHandles.lookup()
            .findStatic(hidden, "spin", MethodType.methodType(long.class, int.class));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      long s = 0;
      for (int i = 0; i < 5_000; i++) {
        s += (long) spin.invokeExact(50);
      }
      Workload.sink = s;
      List<Compiled> compiled =
          JvmCodeCache.codelist().stream().filter(c -> c.name().startsWith(prefix)).toList();
      if (!compiled.isEmpty()) {
        return compiled.get(0);
      }
    }
    throw new AssertionError("the JIT never compiled " + prefix + "....spin");
  }

  private static List<Compiled> gcAndList() {
    System.gc();
    return listCode();
  }

  private static List<Compiled> listCode() {
    try {
      return JvmCodeCache.codelist();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void answersNothingOutsideTheCodeCache() {
    map = JitCodeMap.start();
    assertEquals(List.of(), map.resolve(0));
    assertEquals(List.of(), map.resolve(-1));
    assertFalse(map.isInterpreter(0));
  }

  @Test
  void loadingTwiceAndClosingTwiceAreHarmless() {
    assertSame(JvmtiHelper.load(), JvmtiHelper.load());
    JitCodeMap first = JitCodeMap.start();
    assertThrows(IllegalStateException.class, JitCodeMap::start);
    int known = first.stats().compiledMethods();
    assertTrue(known > 0, "the replay named no compiled method");
    first.close();
    first.close();
    assertEquals(0, first.drain());
    assertEquals(0, first.stats().pendingBytes(), "close freed the log");

    map = JitCodeMap.start();
    JitStats again = map.stats();
    assertTrue(
        again.compiledMethods() > known / 2, "the second start replayed the code cache: " + again);
    assertTrue(again.codeBlobs() > 0, again.toString());
    assertNotNull(map.resolve(JvmCodeCache.class.hashCode()));
  }

  private static void awaitTrue(BooleanSupplier condition, String failure)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure);
      }
      Thread.sleep(20);
    }
  }
}
