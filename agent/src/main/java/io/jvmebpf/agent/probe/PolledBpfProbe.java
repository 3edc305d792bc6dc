package io.jvmebpf.agent.probe;

import io.jvmebpf.agent.Poller;
import io.jvmebpf.agent.log.AgentLog;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.RingBuffer;

/**
 * A BPF probe whose kernel side talks through a ring buffer that a poller thread reads: the
 * poller's rounds, the report and the release of resources each hold one lock, so the report
 * never races a round still running when the poller outlived its join, and nothing is closed
 * under a round.
 */
public abstract class PolledBpfProbe extends BpfProbe {
  private final int pollMs;
  private final Object round = new Object();
  private volatile Poller poller;

  /** @param pollMs a round's period: at most one round per period, however fast records come */
  protected PolledBpfProbe(String objectName, int pollMs) {
    super(objectName);
    this.pollMs = pollMs;
  }

  /** Starts the poller: each round takes in the ring's records, then runs {@code work}. */
  protected final void startPolling(String name, RingBuffer ring, Runnable work, AgentLog log) {
    poller = Poller.start(name, () -> {
      Poller.pollPaced(ring, pollMs);
      synchronized (round) {
        Poller running = poller;
        if (running != null && running.running()) {
          work.run();
        }
      }
    }, log);
  }

  /** Runs {@code work} between the poller's rounds (from another thread: a command's). */
  protected final void inRound(Runnable work) {
    synchronized (round) {
      work.run();
    }
  }

  /** Stops taking data, ends the poller, then reports under the round lock. */
  @Override
  public final void contribute(ReportBuilder report) {
    BpfObject object = object();
    if (object == null) {
      return;
    }
    quiesce();
    stopPoller();
    synchronized (round) {
      report(object, report);
    }
  }

  /** The probe's figures; the poller has stopped, and the ring is the caller's alone. */
  protected abstract void report(BpfObject object, ReportBuilder report);

  @Override
  protected final void stopping() {
    stopPoller();
    synchronized (round) {
      release();
    }
  }

  /** Closes the probe's own resources (ring buffer, perf events...), each whatever the others did. */
  protected abstract void release();

  private void stopPoller() {
    Poller running = poller;
    if (running != null) {
      running.stop(pollMs * 10L);
    }
  }
}
