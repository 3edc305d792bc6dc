package io.jvmebpf.agent.probe.offcpu;

import io.jvmebpf.agent.profile.Frame;
import java.util.List;

/**
 * What the JVM says of an off-CPU interval: the Java frames of the blocked thread, and why it
 * blocked when the JVM recorded the block itself (null for a sample of a thread in native code).
 *
 * @param javaFrames root first, shared with the index they came from
 */
record JavaJoin(List<Frame> javaFrames, String reason) {}
