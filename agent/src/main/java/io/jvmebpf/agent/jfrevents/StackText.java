package io.jvmebpf.agent.jfrevents;

import io.jvmebpf.agent.profile.Frame;
import io.jvmebpf.agent.report.profile.FrameNames;
import java.util.List;

/** A stack as one string field: leaf first, a frame per line, as a Java stack trace reads. */
final class StackText {
  private StackText() {}

  static String leafFirst(List<Frame> rootFirst) {
    StringBuilder text = new StringBuilder();
    for (int i = rootFirst.size() - 1; i >= 0; i--) {
      text.append(FrameNames.label(rootFirst.get(i))).append(i == 0 ? "" : "\n");
    }
    return text.toString();
  }

  static String leafFirstLabels(List<String> leafFirst) {
    return String.join("\n", leafFirst);
  }
}
