package io.jvmebpf.agent.jit;

/**
 * What the code map holds and what the JVMTI helper lost, for the report's overhead and dropped
 * sections.
 *
 * @param compiledMethods compiled code ranges known now
 * @param codeBlobs interpreter and stub ranges known now
 * @param unloads compiled code the JVM freed, as the map was told
 * @param recordsLogged records the helper logged since it was loaded
 * @param recordsDropped records lost because the log was full (not drained) or memory ran out
 * @param inliningDropped compiled methods whose inlining was too large to record: their samples
 *     name the compiled method only
 * @param nameErrors methods JVMTI could not name, shown as {@code [unknown]}
 * @param pendingBytes bytes logged and not yet drained
 */
public record JitStats(
    int compiledMethods,
    int codeBlobs,
    long unloads,
    long recordsLogged,
    long recordsDropped,
    long inliningDropped,
    long nameErrors,
    long pendingBytes) {}
