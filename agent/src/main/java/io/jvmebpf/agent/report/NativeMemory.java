package io.jvmebpf.agent.report;

/**
 * One thread's calls to the C library's allocator and for memory from the kernel, every call
 * counted; {@code outstandingBytes} and {@code outstandingAllocations} are of the blocks it
 * allocated that were not freed at the report, estimated from the tracked blocks (exact when every
 * block is tracked, {@code nativemem.sample=0}).
 */
public record NativeMemory(
    long mallocCalls, long mallocBytes, long freeCalls, long outstandingBytes, long outstandingAllocations,
    long mmapCalls, long mmapBytes, long munmapCalls, long munmapBytes, long brkCalls, long brkBytes) {}
