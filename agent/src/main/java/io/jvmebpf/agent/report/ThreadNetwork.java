package io.jvmebpf.agent.report;

/**
 * One thread's network traffic, TCP and UDP: bytes and the calls that moved them, and the
 * connections it opened (or, accepted ones, served first).
 */
public record ThreadNetwork(long bytesSent, long bytesReceived, long sends, long receives, long connections) {}
