package io.jvmebpf.agent.spans;

import io.jvmebpf.agent.probe.BpfProbe;
import io.jvmebpf.agent.probe.ProbeContext;
import io.jvmebpf.agent.report.ReportBuilder;
import io.jvmebpf.bpf.BpfObject;
import io.jvmebpf.bpf.ProcessScope;

/**
 * Span attribution's kernel half ({@code spans.bpf.c}): per-thread running totals in slots the
 * span hook reads as memory. Runs only where spans exist: loaded as the OpenTelemetry Java agent's
 * extension ({@link SpanHooks#connected()}), or in a test that calls the hooks itself.
 */
public final class SpanProbe extends BpfProbe {
  private ThreadSlots slots;
  private SpanAttribution attribution;

  public SpanProbe() {
    super("spans");
  }

  @Override
  public String name() {
    return "spans";
  }

  @Override
  protected long configSize() {
    return ProcessScope.BYTES; // struct spans_config
  }

  @Override
  protected void checkLayouts(BpfObject object) {
    requireSize(object.map("slots"), 4, SpanLayouts.THREAD_BYTES);
    requireSize(object.map("slot_of"), 4, 4);
  }

  /** Its exit program frees the slot of a thread that ends: kept, or a reused tid would inherit it. */
  @Override
  protected boolean keptWhilePaused(String program) {
    return program.equals("on_exit");
  }

  @Override
  protected void started(BpfObject object, ProbeContext context) {
    slots = new ThreadSlots(object.map("slots"), object.map("slot_of"));
    attribution = new SpanAttribution(slots);
    SpanHooks.attach(attribution);
  }

  @Override
  public void contribute(ReportBuilder report) {
    if (attribution != null) {
      SpanSummary summary = attribution.summary();
      report.spans(summary);
      report.dropped("spans.slotsFull", summary.slotsFull());
    }
  }

  @Override
  protected void stopping() {
    if (attribution != null) {
      SpanHooks.detach(attribution);
    }
    if (slots != null) {
      slots.close();
    }
  }
}
