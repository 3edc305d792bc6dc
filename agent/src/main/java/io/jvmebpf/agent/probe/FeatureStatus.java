package io.jvmebpf.agent.probe;

/** Whether a feature runs, and if not, the sentence that says why and what to do. */
public sealed interface FeatureStatus {
  record On() implements FeatureStatus {
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

  FeatureStatus ON = new On();

  static FeatureStatus off(String reason) {
    return new Off(reason);
  }
}
