package io.jvmebpf.agent.probe.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.agent.report.Connection;
import io.jvmebpf.agent.report.NetworkInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {
  @Test
  void keepsTheHeaviestAndSumsTheRestWhateverTheOrder() {
    ConnectionTable table = new ConnectionTable(3);
    for (long bytes : new long[] {50, 10, 70, 30, 90, 20}) {
      table.add(connection(bytes));
    }
    assertEquals(List.of(90L, 70L, 50L), table.heaviestFirst().stream().map(Connection::bytesSent).toList());
    NetworkInfo info = table.info();
    assertEquals(6, info.connections());
    assertEquals(3, info.other().connections());
    assertEquals(60, info.other().bytesSent());
    assertEquals(3, info.other().resets());
  }

  @Test
  void aCopyTakesMoreWithoutChangingTheOriginalAndTheKernelsRestCounts() {
    ConnectionTable table = new ConnectionTable(1);
    table.add(connection(5));
    table.add(connection(3));
    table.addUnlisted(2, 1, 1, 1, 0, 0);
    ConnectionTable copy = table.copy();
    assertEquals(table.info(), copy.info());
    copy.add(connection(8));
    copy.addOther(new NetworkInfo.Other(4, 100, 200, 4, 5, 1, 0));
    assertEquals(List.of(5L), table.heaviestFirst().stream().map(Connection::bytesSent).toList());
    assertEquals(3, table.info().connections());
    assertEquals(List.of(8L), copy.heaviestFirst().stream().map(Connection::bytesSent).toList());
    assertEquals(8, copy.info().connections());
    assertEquals(7, copy.info().other().connections());
    assertEquals(110, copy.info().other().bytesSent());
    assertEquals(201, copy.info().other().bytesReceived());
  }

  private static Connection connection(long bytesSent) {
    return new Connection("tcp", new Connection.Endpoint("127.0.0.1", 1), new Connection.Endpoint("127.0.0.1", 2),
        "connect", 1, null, List.of(), List.of(), null, null, bytesSent, 0, 1, 0, 0, 1, 0, 10L, "closed");
  }
}
