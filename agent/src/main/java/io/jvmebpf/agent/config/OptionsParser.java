package io.jvmebpf.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Parses {@code key=value,key=value} as async-profiler does: every error is collected before
 * answering, and nothing falls back to a default silently. A bare word after a list option
 * continues its list, so {@code syscalls=read,write,out=/tmp/r} traces read and write.
 */
public final class OptionsParser {
  private final Predicate<String> knownSyscall;

  /** @param knownSyscall whether a name is a syscall of this machine's architecture */
  public OptionsParser(Predicate<String> knownSyscall) {
    this.knownSyscall = knownSyscall;
  }

  /** The outcome of parsing: the options, or every problem found in them. */
  public sealed interface Result permits Valid, Invalid {}

  public record Valid(AgentOptions options) implements Result {}

  public record Invalid(List<String> errors) implements Result {}

  public Result parse(String text) {
    return parse(text, AgentOptions.defaults().otel());
  }

  /**
   * @param otel the export settings before the options: those of the environment ({@link
   *     OtelEnvironment}), which {@code otlp=} and the other {@code otlp.*} options override
   */
  public Result parse(String text, OtelOptions otel) {
    AgentOptions defaults = AgentOptions.defaults();
    Path out = defaults.out();
    boolean syscalls = defaults.syscalls();
    Set<String> filter = new LinkedHashSet<>();
    String log = defaults.log();
    boolean debug = defaults.debug();
    AgentOptions.BpfStatsMode bpfStats = defaults.bpfStats();
    int syscallPairs = defaults.syscallPairs();
    CpuOptions cpu = defaults.cpu();
    boolean cpuOn = cpu.on();
    CpuOptions.Event cpuEvent = cpu.event();
    long intervalNs = cpu.intervalNs();
    int rateHz = cpu.rateHz();
    int stacks = cpu.stacks();
    boolean vthreads = cpu.vthreads();
    OffCpuOptions offCpu = defaults.offCpu();
    boolean offCpuOn = offCpu.on();
    long offCpuMinNs = offCpu.minNs();
    int offCpuThreads = offCpu.threads();
    int offCpuStacks = offCpu.stacks();
    boolean processes = defaults.processes();
    boolean filesOn = defaults.files().on();
    int filesMax = defaults.files().max();
    boolean netOn = defaults.net().on();
    boolean jfrEvents = defaults.jfrEvents();
    int netMax = defaults.net().max();
    long netJfrNs = defaults.net().jfrThresholdNs();
    MemoryOptions memory = defaults.memory();
    boolean nativeOn = memory.nativeOn();
    long sampleBytes = memory.sampleBytes();
    int maxBlocks = memory.maxBlocks();
    boolean faults = memory.faults();
    boolean javaAlloc = memory.javaAlloc();
    Path progress = defaults.progress();
    boolean redactArgv = defaults.redactArgv();
    List<String> errors = new ArrayList<>();
    String listKey = null;

    for (String token : text == null ? new String[0] : text.split(",")) {
      if (token.isBlank()) {
        continue;
      }
      int eq = token.indexOf('=');
      String key = eq < 0 ? null : token.substring(0, eq).trim();
      String value = eq < 0 ? token.trim() : token.substring(eq + 1).trim();
      if (key == null) {
        if ("syscalls".equals(listKey)) {
          addSyscall(value, filter, errors);
        } else {
          errors.add("option '" + value + "' has no value; write it as key=value");
        }
        continue;
      }
      listKey = null;
      switch (key) {
        case "out" -> {
          if (value.isEmpty()) {
            errors.add("out= needs a folder");
          } else {
            out = Path.of(value);
          }
        }
        case "syscalls" -> {
          switch (value) {
            case "on", "all" -> syscalls = true;
            case "off" -> syscalls = false;
            default -> {
              syscalls = true;
              listKey = "syscalls";
              addSyscall(value, filter, errors);
            }
          }
        }
        case "syscalls.max" -> syscallPairs = count(key, value, 1, AgentOptions.MAX_SYSCALL_PAIRS, errors);
        case "cpu" -> cpuOn = onOff(key, value, cpuOn, errors);
        case "event" -> {
          switch (value) {
            case "cpu" -> cpuEvent = CpuOptions.Event.CPU;
            case "cycles" -> cpuEvent = CpuOptions.Event.CYCLES;
            default -> errors.add("event=" + value + " is not one of cpu, cycles");
          }
        }
        case "interval" -> {
          intervalNs = Durations.parseNanos(value);
          rateHz = 0;
          if (intervalNs < CpuOptions.MIN_INTERVAL_NS) {
            errors.add("interval=" + value + " is not a duration of at least 100us (e.g. 10ms, 500us,"
                + " or nanoseconds)");
          }
        }
        case "rate" -> rateHz = count(key, value, 1, CpuOptions.MAX_RATE_HZ, errors);
        case "cpu.stacks" -> stacks = count(key, value, 64, CpuOptions.MAX_STACKS, errors);
        case "vthreads" -> vthreads = onOff(key, value, vthreads, errors);
        case "otlp" -> otel = withEndpoint(otel, value, errors);
        case "otlp.interval" -> {
          long ns = Durations.parseNanos(value);
          if (ns < 1_000_000_000L) {
            errors.add("otlp.interval=" + value + " is not a duration of at least 1s (e.g. 10s, 60s)");
          } else {
            otel = new OtelOptions(otel.endpoint(), otel.headers(), otel.resource(),
                Duration.ofNanos(ns), otel.spans(), otel.threads());
          }
        }
        case "spans" -> otel = new OtelOptions(otel.endpoint(), otel.headers(), otel.resource(),
            otel.interval(), onOff(key, value, otel.spans(), errors), otel.threads());
        case "otlp.threads" -> {
          switch (value) {
            case "normalize" -> otel = otel.withThreads(OtelOptions.ThreadNaming.NORMALIZE);
            case "raw" -> otel = otel.withThreads(OtelOptions.ThreadNaming.RAW);
            case "off" -> otel = otel.withThreads(OtelOptions.ThreadNaming.OFF);
            default -> errors.add("otlp.threads=" + value + " is not normalize, raw or off");
          }
        }
        case "offcpu" -> offCpuOn = onOff(key, value, offCpuOn, errors);
        case "offcpu.min" -> {
          offCpuMinNs = value.equals("0") ? 0 : Durations.parseNanos(value);
          if (offCpuMinNs < 0) {
            errors.add("offcpu.min=" + value + " is not a duration (e.g. 10ms, 500us, 0, or nanoseconds)");
          }
        }
        case "offcpu.threads" -> offCpuThreads = count(key, value, 16, OffCpuOptions.MAX_THREADS, errors);
        case "offcpu.stacks" -> offCpuStacks = count(key, value, 64, OffCpuOptions.MAX_STACKS, errors);
        case "processes" -> processes = onOff(key, value, processes, errors);
        case "files" -> filesOn = onOff(key, value, filesOn, errors);
        case "files.max" -> filesMax = count(key, value, 1, FilesOptions.MAX_MAX, errors);
        case "net" -> netOn = onOff(key, value, netOn, errors);
        case "net.max" -> netMax = count(key, value, 1, NetOptions.MAX_MAX, errors);
        case "net.jfr" -> {
          netJfrNs = switch (value) {
            case "off" -> -1;
            case "0" -> 0;
            default -> Durations.parseNanos(value);
          };
          if (netJfrNs < 0 && !value.equals("off")) {
            errors.add("net.jfr=" + value + " is not a duration (e.g. 20ms, 0) or off");
          }
        }
        case "nativemem" -> nativeOn = onOff(key, value, nativeOn, errors);
        case "nativemem.sample" -> {
          sampleBytes = Sizes.parseBytes(value);
          if (sampleBytes < 0 || sampleBytes > MemoryOptions.MAX_SAMPLE_BYTES) {
            errors.add("nativemem.sample=" + value + " is not a size up to 4g (e.g. 512k, 1m, 0 for every block,"
                + " or bytes)");
          }
        }
        case "nativemem.max" -> maxBlocks = count(key, value, 64, MemoryOptions.MAX_MAX_BLOCKS, errors);
        case "faults" -> faults = onOff(key, value, faults, errors);
        case "alloc" -> javaAlloc = onOff(key, value, javaAlloc, errors);
        case "jfr.events" -> jfrEvents = onOff(key, value, jfrEvents, errors);
        case "log" -> {
          if (value.isEmpty()) {
            errors.add("log= needs stderr, none or a file path");
          } else {
            log = value;
          }
        }
        case "progress" -> {
          if (value.isEmpty()) {
            errors.add("progress= needs a file path");
          } else {
            progress = Path.of(value);
          }
        }
        case "redact" -> {
          switch (value) {
            case "argv" -> redactArgv = true;
            case "off" -> redactArgv = false;
            default -> errors.add("redact=" + value + " is not one of argv, off");
          }
        }
        case "loglevel" -> {
          switch (value) {
            case "info" -> debug = false;
            case "debug" -> debug = true;
            default -> errors.add("loglevel=" + value + " is not one of info, debug");
          }
        }
        case "bpfstats" -> {
          switch (value) {
            case "sampled" -> bpfStats = AgentOptions.BpfStatsMode.SAMPLED;
            case "on" -> bpfStats = AgentOptions.BpfStatsMode.ON;
            case "off" -> bpfStats = AgentOptions.BpfStatsMode.OFF;
            default -> errors.add("bpfstats=" + value + " is not one of sampled, on, off");
          }
        }
        default -> errors.add("unknown option '" + key + "' (known: out, syscalls, syscalls.max, cpu, event, interval, rate, cpu.stacks, vthreads, offcpu,"
            + " offcpu.min, offcpu.threads, offcpu.stacks, processes, files, files.max, net, net.max, net.jfr, nativemem, nativemem.sample, nativemem.max, faults, alloc, jfr.events, log, loglevel, bpfstats, progress, redact, otlp, otlp.interval, otlp.threads, spans)");
      }
    }
    return errors.isEmpty()
        ? new Valid(new AgentOptions(out, syscalls, Set.copyOf(filter), syscallPairs, log, debug, bpfStats,
            new CpuOptions(cpuOn, cpuEvent, intervalNs, rateHz, stacks, vthreads),
            new OffCpuOptions(offCpuOn, offCpuMinNs, offCpuThreads, offCpuStacks), processes,
            new FilesOptions(filesOn, filesMax), new NetOptions(netOn, netMax, netJfrNs),
            new MemoryOptions(nativeOn, sampleBytes, maxBlocks, faults, javaAlloc), progress, jfrEvents, redactArgv,
            otel))
        : new Invalid(List.copyOf(errors));
  }

  /** {@code on} or {@code off}, or an error naming the option (the value then stays as it was). */
  private static boolean onOff(String key, String value, boolean current, List<String> errors) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> {
        errors.add(key + "=" + value + " is not one of on, off");
        yield current;
      }
    };
  }

  /** A whole number from {@code min} to {@code max}, or an error naming the option. */
  private static int count(String key, String value, int min, int max, List<String> errors) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(key + "=" + value + " is not a number from " + min + " to " + max);
    return min;
  }

  private void addSyscall(String name, Set<String> filter, List<String> errors) {
    if (knownSyscall.test(name)) {
      filter.add(name);
    } else {
      errors.add("syscalls=: '" + name + "' is not a syscall of this architecture");
    }
  }

  /** {@code otlp=URL}: an http(s) OTLP/HTTP base URL; {@code otlp=off} exports nothing. */
  private static OtelOptions withEndpoint(OtelOptions otel, String value, List<String> errors) {
    URI endpoint = null;
    if (!value.equals("off")) {
      try {
        endpoint = URI.create(value);
      } catch (IllegalArgumentException e) {
        endpoint = null;
      }
      if (endpoint == null || endpoint.getHost() == null
          || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
        errors.add("otlp=" + value + " is not an http(s) URL (e.g. otlp=http://localhost:4318) or off");
        return otel;
      }
    }
    return otel.withEndpoint(endpoint);
  }

}
