package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.MachineAssumptions;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retransmits as the kernel counts them: NetworkWorkload's 10 MiB connection in a network
 * namespace of its own whose loopback drops one TCP segment with data in 20 on input (nftables),
 * against the namespace's own count of retransmitted segments ({@code RetransSegs} of
 * {@code /proc/net/snmp}), which nothing else in the namespace adds to.
 */
@ExtendWith(RequiresBpf.class)
class NetworkLossIT {
  private static final long TEN_MIB = 10 << 20;
  private static final Path NFT = Path.of("/usr/sbin/nft");

  @Test
  void everyRetransmittedSegmentOfALossyConnection() throws Exception {
    MachineAssumptions.assume(Files.isExecutable(NFT), NFT + " (Debian: nftables) makes the loss");
    String namespace = "jvmebpf-loss-" + ProcessHandle.current().pid();
    run("ip", "netns", "add", namespace);
    try {
      run("ip", "-n", namespace, "link", "set", "lo", "up");
      // On input: a segment dropped on output is sent again as a fresh send, not a retransmit.
      // Segments with data only (200 bytes and more): a lost SYN or FIN would only slow the test
      // down, and a lost handshake ACK makes the listener send its SYN-ACK again, which RetransSegs
      // counts before there is a connection to count it for.
      nft(namespace, "add table inet loss");
      nft(namespace, "add chain inet loss in { type filter hook input priority 0 ; }");
      nft(namespace, "add rule inet loss in meta l4proto tcp meta length > 200 numgen random mod 20 0 drop");
      long before = retransmittedSegments(namespace);
      AgentRun.Result run = AgentRun.of("io.jvmebpf.workloads.NetworkWorkload", "one")
          .launchedThrough("ip", "netns", "exec", namespace)
          .run();
      long retransmitted = retransmittedSegments(namespace) - before;
      assertEquals(0, run.exitCode(), run.describe());
      assertOnlyAgentLines(run);
      Summary summary = run.summary();
      long counted = summary.root().at("/network/other/retransmits").asLong();
      long clientBytes = 0;
      for (JsonNode connection : Summary.required(summary.root(), "connections")) {
        counted += connection.path("retransmits").asLong();
        if (connection.path("thread").asText().equals("net-client")) {
          clientBytes = connection.path("bytesSent").asLong();
        }
      }
      System.out.println("NetworkLossIT: RetransSegs +" + retransmitted + ", the report's retransmits " + counted);
      assertTrue(retransmitted > 0, "nothing was lost");
      assertEquals(retransmitted, counted);
      assertEquals(TEN_MIB, clientBytes, "every byte once, however often the wire carried it");
    } finally {
      run("ip", "netns", "del", namespace);
    }
  }

  /** The namespace's RetransSegs: the kernel's count of TCP segments it sent again. */
  private static long retransmittedSegments(String namespace) throws Exception {
    List<String> lines = output("ip", "netns", "exec", namespace, "cat", "/proc/net/snmp").lines()
        .filter(l -> l.startsWith("Tcp:")).toList();
    List<String> names = List.of(lines.get(0).split("\\s+"));
    return Long.parseLong(lines.get(1).split("\\s+")[names.indexOf("RetransSegs")]);
  }

  private static void nft(String namespace, String command) throws Exception {
    run(List.of("ip", "netns", "exec", namespace, NFT.toString(), command).toArray(String[]::new));
  }

  private static void run(String... command) throws Exception {
    output(command);
  }

  private static String output(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }
}
