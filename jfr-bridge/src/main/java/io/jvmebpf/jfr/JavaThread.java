package io.jvmebpf.jfr;

/** A Java thread as JFR names it: the OS thread id is the kernel's tid, the join key with BPF. */
public record JavaThread(long osThreadId, long javaThreadId, String name) {}
