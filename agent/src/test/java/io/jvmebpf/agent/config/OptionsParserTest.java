package io.jvmebpf.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsParserTest {
  private final OptionsParser parser = new OptionsParser(Set.of("read", "write", "futex")::contains);

  @Test
  void emptyMeansDefaults() {
    assertEquals(AgentOptions.defaults(), valid(""));
    assertEquals(AgentOptions.defaults(), valid(null));
  }

  @Test
  void everyOption() {
    AgentOptions o = valid("out=/tmp/r,syscalls=read,write,syscalls.max=100,log=none,loglevel=debug,bpfstats=on");
    assertEquals(100, o.syscallPairs());
    assertEquals(AgentOptions.BpfStatsMode.ON, o.bpfStats());
    assertEquals(Path.of("/tmp/r"), o.out());
    assertEquals(Set.of("read", "write"), o.syscallFilter());
    assertTrue(o.syscalls());
    assertEquals("none", o.log());
    assertTrue(o.debug());
  }

  @Test
  void syscallsOffAndAll() {
    assertEquals(false, valid("syscalls=off").syscalls());
    assertEquals(Set.of(), valid("syscalls=all").syscallFilter());
  }

  @Test
  void everyErrorIsReportedNotDefaulted() {
    OptionsParser.Invalid invalid =
        assertInstanceOf(OptionsParser.Invalid.class, parser.parse("bogus=1,syscalls=wrte,loglevel=loud,out=,bpfstats=maybe,syscalls.max=0,stray"));
    assertEquals(
        List.of(
            "unknown option 'bogus' (known: out, syscalls, syscalls.max, log, loglevel, bpfstats)",
            "syscalls=: 'wrte' is not a syscall of this architecture",
            "loglevel=loud is not one of info, debug",
            "out= needs a folder",
            "bpfstats=maybe is not one of sampled, on, off",
            "syscalls.max=0 is not a number from 1 to 1048576",
            "option 'stray' has no value; write it as key=value"),
        invalid.errors());
  }

  @Test
  void aBareWordContinuesOnlyTheListJustOpened() {
    assertInstanceOf(OptionsParser.Invalid.class, parser.parse("syscalls=read,out=/x,write"));
  }

  private AgentOptions valid(String text) {
    return assertInstanceOf(OptionsParser.Valid.class, parser.parse(text)).options();
  }
}
