package io.jvmebpf.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void processesOnByDefaultAndOff() {
    assertTrue(valid("").processes());
    assertEquals(false, valid("processes=off").processes());
    assertEquals(true, valid("processes=on").processes());
    assertEquals(
        List.of("processes=maybe is not one of on, off"),
        assertInstanceOf(OptionsParser.Invalid.class, parser.parse("processes=maybe")).errors());
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
            "unknown option 'bogus' (known: out, syscalls, syscalls.max, cpu, event, interval, rate,"
                + " cpu.stacks, vthreads, offcpu, offcpu.min, offcpu.threads, offcpu.stacks, processes, files, files.max, net,"
                + " net.max, net.jfr, nativemem, nativemem.sample, nativemem.max, faults, alloc, jfr.events, log,"
                + " loglevel, bpfstats, progress, redact, otlp, otlp.interval, otlp.threads, spans)",
            "syscalls=: 'wrte' is not a syscall of this architecture",
            "loglevel=loud is not one of info, debug",
            "out= needs a folder",
            "bpfstats=maybe is not one of sampled, on, off",
            "syscalls.max=0 is not a number from 1 to 1048576",
            "option 'stray' has no value; write it as key=value"),
        invalid.errors());
  }

  @Test
  void cpuOptionsTakeAsyncProfilerUnits() {
    assertEquals(10_000_000, valid("interval=10ms").cpu().intervalNs());
    assertEquals(500_000, valid("interval=500us").cpu().intervalNs());
    assertEquals(2_000_000_000L, valid("interval=2s").cpu().intervalNs());
    assertEquals(1_000_000, valid("interval=1000000").cpu().intervalNs());
    CpuOptions rate = valid("rate=99,event=cycles,cpu.stacks=1024").cpu();
    assertEquals(99, rate.rateHz());
    assertEquals(1_000_000_000L / 99, rate.sampleWeightNs());
    assertEquals(CpuOptions.Event.CYCLES, rate.event());
    assertEquals(1024, rate.stacks());
    assertEquals(false, valid("cpu=off").cpu().on());
  }

  @Test
  void cpuOptionErrorsAreReported() {
    OptionsParser.Invalid invalid = assertInstanceOf(
        OptionsParser.Invalid.class, parser.parse("interval=10,interval=fast,rate=0,event=bogus,cpu=maybe"));
    assertEquals(
        List.of(
            "interval=10 is not a duration of at least 100us (e.g. 10ms, 500us, or nanoseconds)",
            "interval=fast is not a duration of at least 100us (e.g. 10ms, 500us, or nanoseconds)",
            "rate=0 is not a number from 1 to 10000",
            "event=bogus is not one of cpu, cycles",
            "cpu=maybe is not one of on, off"),
        invalid.errors());
  }

  @Test
  void offCpuOptions() {
    OffCpuOptions defaults = valid("").offCpu();
    assertEquals(true, defaults.on());
    assertEquals(10_000_000, defaults.minNs());
    OffCpuOptions set = valid("offcpu.min=500us,offcpu.threads=100,offcpu.stacks=256").offCpu();
    assertEquals(500_000, set.minNs());
    assertEquals(100, set.threads());
    assertEquals(256, set.stacks());
    assertEquals(0, valid("offcpu.min=0").offCpu().minNs());
    assertEquals(false, valid("offcpu=off").offCpu().on());
    OptionsParser.Invalid invalid = assertInstanceOf(
        OptionsParser.Invalid.class, parser.parse("offcpu=maybe,offcpu.min=soon,offcpu.threads=1"));
    assertEquals(
        List.of(
            "offcpu=maybe is not one of on, off",
            "offcpu.min=soon is not a duration (e.g. 10ms, 500us, 0, or nanoseconds)",
            "offcpu.threads=1 is not a number from 16 to 262144"),
        invalid.errors());
  }

  @Test
  void filesOptions() {
    assertEquals(FilesOptions.defaults(), valid("").files());
    assertEquals(new FilesOptions(true, 1000), valid("").files());
    assertEquals(new FilesOptions(false, 20), valid("files=off,files.max=20").files());
    OptionsParser.Invalid invalid = assertInstanceOf(
        OptionsParser.Invalid.class, parser.parse("files=maybe,files.max=0"));
    assertEquals(
        List.of("files=maybe is not one of on, off", "files.max=0 is not a number from 1 to 1048576"),
        invalid.errors());
  }

  @Test
  void netOptions() {
    assertEquals(new NetOptions(true, 1000, NetOptions.JFR_OFF), valid("").net());
    assertEquals(new NetOptions(false, 10, -1), valid("net=off,net.max=10,net.jfr=off").net());
    assertEquals(new NetOptions(true, 1000, 0), valid("net.jfr=0").net());
    assertEquals(new NetOptions(true, 1000, 5_000_000), valid("net.jfr=5ms").net());
    OptionsParser.Invalid invalid = assertInstanceOf(
        OptionsParser.Invalid.class, parser.parse("net=maybe,net.max=0,net.jfr=soon"));
    assertEquals(
        List.of("net=maybe is not one of on, off", "net.max=0 is not a number from 1 to 1048576",
            "net.jfr=soon is not a duration (e.g. 20ms, 0) or off"),
        invalid.errors());
  }

  @Test
  void memoryOptionsTakeSizesAsAsyncProfilerWritesThem() {
    assertEquals(MemoryOptions.defaults(), valid("").memory());
    assertEquals(new MemoryOptions(false, 65_536, 1000, false, false),
        valid("nativemem=off,nativemem.sample=64k,nativemem.max=1000,faults=off,alloc=off").memory());
    assertEquals(0, valid("nativemem.sample=0").memory().sampleBytes());
    assertEquals(2L << 20, valid("nativemem.sample=2M").memory().sampleBytes());
    assertEquals(1000, valid("nativemem.sample=1000").memory().sampleBytes());
    OptionsParser.Invalid invalid = assertInstanceOf(
        OptionsParser.Invalid.class, parser.parse("nativemem=yes,nativemem.sample=lots,nativemem.max=1,alloc=2,nativemem.sample=5g"));
    assertEquals(
        List.of("nativemem=yes is not one of on, off",
            "nativemem.sample=lots is not a size up to 4g (e.g. 512k, 1m, 0 for every block, or bytes)",
            "nativemem.max=1 is not a number from 64 to 4194304", "alloc=2 is not one of on, off",
            "nativemem.sample=5g is not a size up to 4g (e.g. 512k, 1m, 0 for every block, or bytes)"),
        invalid.errors());
  }

  @Test
  void jfrEventsOnByDefaultAndOff() {
    assertTrue(valid("").jfrEvents());
    assertFalse(valid("jfr.events=off").jfrEvents());
    assertEquals(
        List.of("jfr.events=yes is not one of on, off"),
        assertInstanceOf(OptionsParser.Invalid.class, parser.parse("jfr.events=yes")).errors());
  }

  @Test
  void redactArgvIsOffByDefault() {
    assertEquals(false, valid("").redactArgv());
    assertEquals(true, valid("redact=argv").redactArgv());
    assertEquals(false, valid("redact=argv,redact=off").redactArgv());
    assertEquals(List.of("redact=env is not one of argv, off"),
        assertInstanceOf(OptionsParser.Invalid.class, parser.parse("redact=env")).errors());
  }

  @Test
  void aBareWordContinuesOnlyTheListJustOpened() {
    assertInstanceOf(OptionsParser.Invalid.class, parser.parse("syscalls=read,out=/x,write"));
  }

  private AgentOptions valid(String text) {
    return assertInstanceOf(OptionsParser.Valid.class, parser.parse(text)).options();
  }
}
