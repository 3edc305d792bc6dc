package io.jvmebpf.agent.report.profile;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.profile.FrameKind;
import io.jvmebpf.agent.profile.StackSample;
import java.util.ArrayList;
import java.util.List;

/** How the text formats name threads and frames, so that the collapsed file and the flame graph agree. */
public final class FrameNames {
  private FrameNames() {}

  /**
   * The frame a thread's stacks hang from, as async-profiler writes it with {@code threads}:
   * {@code [name tid=N]}, which its converter and flame graph recognise as a thread.
   */
  static String threadRoot(StackSample sample) {
    String name = printable(sample.thread());
    return name.isEmpty() ? "[tid=" + sample.tid() + "]" : "[" + name + " tid=" + sample.tid() + "]";
  }

  /** A line of a collapsed file: thread and frames separated by ';', kernel frames marked. */
  static String collapsedStack(StackSample sample) {
    StringBuilder line = new StringBuilder(collapsed(threadRoot(sample)));
    for (Frame frame : sample.frames()) {
      line.append(';').append(collapsed(label(frame)));
    }
    return line.toString();
  }

  /**
   * A frame as the collapsed format and the report name it: kernel frames end in {@code _[k]},
   * allocated classes in {@code _[i]}, as async-profiler writes them.
   */
  public static String label(Frame frame) {
    return switch (frame.kind()) {
      case KERNEL -> frame.name() + "_[k]";
      case ALLOCATED_CLASS -> frame.name() + "_[i]";
      default -> frame.name();
    };
  }

  /** Frames given root first, as the report lists them: leaf first, as in a Java stack trace. */
  public static List<String> leafFirst(List<Frame> rootFirst) {
    List<String> names = new ArrayList<>(rootFirst.size());
    for (int i = rootFirst.size() - 1; i >= 0; i--) {
      names.add(label(rootFirst.get(i)));
    }
    return names;
  }

  /**
   * The collapsed format has no escape: ';' separates frames and the line ends the stack, so a
   * name holding either (thread names may) is written with ':' and a space instead.
   */
  static String collapsed(String name) {
    return printable(name).replace(';', ':');
  }

  /**
   * Control characters (newlines above all) become spaces: the collapsed file is line-based, and
   * the flame graph holds names in JavaScript string literals that its own escaping leaves raw.
   */
  static String printable(String name) {
    StringBuilder out = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        if (out == null) {
          out = new StringBuilder(name);
        }
        out.setCharAt(i, ' ');
      }
    }
    return out == null ? name : out.toString();
  }
}
