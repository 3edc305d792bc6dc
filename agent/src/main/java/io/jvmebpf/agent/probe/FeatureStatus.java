package io.jvmebpf.agent.probe;

/** Whether a feature runs, and if not, the sentence that says why and what to do. */
public sealed interface FeatureStatus {
  /** @param note what a user should know about how it runs, or null (said in the start line) */
  record On(String note) implements FeatureStatus {
    @Override
    public String toString() {
      return "on";
    }
  }

  record Off(String reason) implements FeatureStatus {
    @Override
    public String toString() {
      return "off: " + reason;
    }
  }

  static FeatureStatus on(String note) {
    return new On(note);
  }

  static FeatureStatus off(String reason) {
    return new Off(reason);
  }
}
