package io.jvmebpf.jfr;

/**
 * One Java frame of a JFR stack trace.
 *
 * @param method {@code pkg.Class.method}
 * @param type JFR's frame type: {@code Interpreted}, {@code JIT compiled}, {@code Inlined},
 *     {@code Native}, or what a newer JDK calls it
 */
public record JavaFrame(String method, String type) {}
