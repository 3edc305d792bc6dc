package io.jvmebpf.agent.threads;

import io.jvmebpf.agent.jvm.DiagnosticCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's own list of its live threads, with kernel tids, from the HotSpot diagnostic command
 * {@code Thread.print} (what {@code jcmd PID Thread.print} shows). It names the threads that
 * started before the agent, which no JFR event announces, and the JVM's native threads (GC,
 * compiler, VM) by their full names.
 *
 * <p>The command is reached through the JDK's own {@code DiagnosticCommandImpl}, whose package the
 * bootstrap opened to the agent's module, and not through the platform MBean server: creating that
 * server initializes {@code java.util.logging}'s LogManager, which breaks applications that install
 * their own LogManager later (WildFly, JBoss Logging).
 */
final class JavaThreadDump {
  // "name" #javaId [tid] daemon prio=5 os_prio=0 ... nid=tid ...   (Java thread)
  // "name" os_prio=0 ... nid=tid ...                              (JVM native thread)
  private static final Pattern HEADER =
      Pattern.compile("^\"(.*)\" (?:#(\\d+) .*?)?os_prio=-?\\d+ .*?\\bnid=(0x[0-9a-fA-F]+|\\d+)");
  private JavaThreadDump() {}

  static List<ThreadIdentity> take() throws Exception {
    return parse(DiagnosticCommands.run("threadPrint"));
  }

  static List<ThreadIdentity> parse(String dump) {
    List<ThreadIdentity> threads = new ArrayList<>();
    for (String line : dump.split("\n")) {
      Matcher m = HEADER.matcher(line);
      if (m.find()) {
        String nid = m.group(3);
        int tid = nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
        Long javaId = m.group(2) == null ? null : Long.valueOf(m.group(2));
        threads.add(new ThreadIdentity(tid, m.group(1), javaId, ThreadIdentity.Source.JVM));
      }
    }
    return threads;
  }
}
