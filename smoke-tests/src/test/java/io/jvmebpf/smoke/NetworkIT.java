package io.jvmebpf.smoke;

import static io.jvmebpf.smoke.SmokeAssertions.assertOnlyAgentLines;
import static io.jvmebpf.smoke.SmokeAssertions.assertReportLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvmebpf.bpf.testing.RequiresBpf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The network probe under the agent, on NetworkWorkload's loopback traffic with known answers:
 * 10 MiB one way, 100 echoed connections of i × 1,000 bytes, one refused connect; with every
 * socket read and write the JVM records ({@code net.jfr=0}), each connection names its Java code.
 */
@ExtendWith(RequiresBpf.class)
class NetworkIT {
  private static final String WORKLOAD = "io.jvmebpf.workloads.NetworkWorkload";
  private static final long TEN_MIB = 10 << 20;
  private static final long SHORT_BYTES = 1_000L * 100 * 101 / 2; // each way

  @Test
  void everyConnectionWithItsBytesThreadsAndOutcome() throws Exception {
    AgentRun.Result run = AgentRun.of(WORKLOAD).agentOptions("net.jfr=0").run();
    assertEquals(0, run.exitCode(), run.describe());
    assertReportLine(run);
    assertOnlyAgentLines(run);
    Summary summary = run.summary();
    assertEquals("on", summary.feature("net"), run.describe());
    List<JsonNode> tcp = connections(summary, "tcp");
    int clientPort = printed(run, "client-port");
    int serverPort = printed(run, "server-port");

    // Both ends: a later connection may get the same ephemeral port once this one is closed.
    JsonNode client = only(tcp, c -> c.at("/local/port").asInt() == clientPort
        && c.at("/remote/port").asInt() == serverPort);
    System.out.println("NetworkIT client: " + client);
    assertEquals("connect", client.path("origin").asText());
    assertEquals("net-client", client.path("thread").asText());
    assertEquals(serverPort, client.at("/remote/port").asInt());
    assertEquals(TEN_MIB, client.path("bytesSent").asLong());
    assertEquals(0, client.path("bytesReceived").asLong());
    assertEquals("closed", client.path("state").asText());
    assertTrue(client.path("javaStack").toString().contains("io.jvmebpf.workloads.NetworkWorkload.send"),
        client.toString());
    JsonNode server = only(tcp, c -> c.at("/remote/port").asInt() == clientPort
        && c.at("/local/port").asInt() == serverPort);
    assertEquals("accept", server.path("origin").asText());
    assertEquals("net-server", server.path("thread").asText());
    assertEquals(TEN_MIB, server.path("bytesReceived").asLong());
    assertTrue(server.path("javaStack").toString().contains("io.jvmebpf.workloads.NetworkWorkload.drain"),
        server.toString());

    assertEquals(TEN_MIB, summary.onlyThread("net-client").at("/network/bytesSent").asLong());
    assertEquals(1, summary.onlyThread("net-client").at("/network/connections").asLong());
    assertEquals(TEN_MIB, summary.onlyThread("net-server").at("/network/bytesReceived").asLong());
    JsonNode shortClient = summary.onlyThread("net-short").path("network");
    assertEquals(SHORT_BYTES, shortClient.path("bytesSent").asLong(), shortClient.toString());
    assertEquals(SHORT_BYTES, shortClient.path("bytesReceived").asLong(), shortClient.toString());
    assertEquals(100, shortClient.path("connections").asLong(), shortClient.toString());
    List<JsonNode> shortOnes = tcp.stream().filter(c -> c.path("thread").asText().equals("net-short")).toList();
    assertEquals(100, shortOnes.size());
    for (int i = 1; i <= 100; i++) {
      long bytes = i * 1_000L;
      assertEquals(1, shortOnes.stream().filter(c -> c.path("bytesSent").asLong() == bytes
          && c.path("bytesReceived").asLong() == bytes).count(), "the connection of " + bytes + " bytes");
    }

    int refusedPort = printed(run, "refused-port");
    JsonNode refused = only(tcp, c -> c.at("/remote/port").asInt() == refusedPort
        && c.path("origin").asText().equals("connect"));
    assertEquals("refused", refused.path("state").asText(), refused.toString());
    assertEquals("net-refused", refused.path("thread").asText());
    assertEquals(0, summary.root().at("/network/other/connections").asLong(-1));
  }

  @Test
  void aTableOfTenSumsTheRestExactly() throws Exception {
    AgentRun.Result run = AgentRun.of(WORKLOAD).agentOptions("net.max=10").run();
    assertEquals(0, run.exitCode(), run.describe());
    Summary summary = run.summary();
    List<JsonNode> listed = connections(summary, null);
    assertEquals(10, listed.size(), listed.toString());
    JsonNode network = Summary.required(summary.root(), "network");
    System.out.println("NetworkIT net.max=10: " + network);
    long seen = network.path("connections").asLong();
    assertTrue(seen >= 203, network.toString()); // 2 + 200 + 1, and any of the JVM's own
    assertEquals(seen - 10, network.at("/other/connections").asLong());
    long sent = listed.stream().mapToLong(c -> c.path("bytesSent").asLong()).sum()
        + network.at("/other/bytesSent").asLong();
    long received = listed.stream().mapToLong(c -> c.path("bytesReceived").asLong()).sum()
        + network.at("/other/bytesReceived").asLong();
    assertEquals(TEN_MIB + 2 * SHORT_BYTES, sent);
    assertEquals(TEN_MIB + 2 * SHORT_BYTES, received);
  }

  private static List<JsonNode> connections(Summary summary, String protocol) {
    List<JsonNode> all = new ArrayList<>();
    Summary.required(summary.root(), "connections").forEach(all::add);
    return protocol == null ? all : all.stream().filter(c -> c.path("protocol").asText().equals(protocol)).toList();
  }

  private static JsonNode only(List<JsonNode> connections, Predicate<JsonNode> which) {
    List<JsonNode> found = connections.stream().filter(which).toList();
    assertEquals(1, found.size(), "expected one of " + connections.size() + ": " + found);
    return found.get(0);
  }

  private static int printed(AgentRun.Result run, String key) {
    return run.stdout().stream().filter(l -> l.startsWith(key + " ")).map(l -> Integer.parseInt(l.substring(key.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no '" + key + "' line: " + run.stdout()));
  }
}
