/*
 * The contract between the JVMTI helper and its Java side (io.jvmebpf.agent.jit): the exported
 * functions, the layout of the records drain() hands over, and the bounds. JvmtiRecords.java
 * mirrors the constants; bump JVMEBPF_JVMTI_ABI when anything here changes, and the Java side
 * refuses a helper of another version instead of misreading it.
 */
#ifndef JVMEBPF_JVMTI_HELPER_H
#define JVMEBPF_JVMTI_HELPER_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#define JVMEBPF_JVMTI_ABI 1

/* Records are packed, host byte order, read unaligned on the Java side. Every record starts:
 *   u32 length (of the whole record)  u8 type  u8 flags  u16 reserved  u64 start  u64 size
 * then by type:
 *   LOAD     u32 method_count  u32 pc_count
 *            method_count names: u16 length, UTF-8 bytes, NUL ("pkg.Class.method"); name 0 is
 *              the compiled method itself
 *            pc_count pcs: u32 offset from start, u16 depth, depth x u16 name index, outermost
 *              (the compiled method) first, innermost (the method the pc is in) last
 *   UNLOAD   nothing more (size is 0)
 *   DYNAMIC  one name as above ("Interpreter", "StubRoutines (1)", "I2C/C2I adapters", ...)
 */
enum jvmebpf_record_type {
  JVMEBPF_RECORD_LOAD = 1,
  JVMEBPF_RECORD_UNLOAD = 2,
  JVMEBPF_RECORD_DYNAMIC = 3,
};
#define JVMEBPF_RECORD_HEADER 24
#define JVMEBPF_LOAD_HEADER (JVMEBPF_RECORD_HEADER + 8)
/* LOAD flag: the inlining was too large for one record; only the compiled method is named. */
#define JVMEBPF_FLAG_INLINING_DROPPED 1

/* No record is larger: drain() callers must offer at least this much room. */
#define JVMEBPF_MAX_RECORD (256 * 1024)
/* Undrained records beyond this many bytes are dropped and counted. */
#define JVMEBPF_MAX_PENDING (16 * 1024 * 1024)
/* Longer names are cut (at a character boundary). */
#define JVMEBPF_MAX_NAME 1024
/* Distinct methods per LOAD record: the u16 indices. */
#define JVMEBPF_MAX_METHODS 4096

/* Indices into the array jvmebpf_jvmti_stats() fills. */
enum jvmebpf_stat {
  JVMEBPF_STAT_LOGGED,            /* records appended */
  JVMEBPF_STAT_DROPPED,           /* records dropped: the log was full or memory ran out */
  JVMEBPF_STAT_INLINING_DROPPED,  /* LOAD records sent without their inlining */
  JVMEBPF_STAT_NAME_ERRORS,       /* methods JVMTI could not name ("[unknown]" instead) */
  JVMEBPF_STAT_PENDING_BYTES,     /* bytes waiting to be drained, now */
  JVMEBPF_STAT_COUNT
};

/* The exported functions; their contracts are at their definitions in jvmti_helper.c. */
JNIEXPORT int jvmebpf_jvmti_abi(void);
JNIEXPORT int jvmebpf_jvmti_start(JavaVM *java_vm, char *error, size_t error_cap);
JNIEXPORT void jvmebpf_jvmti_stop(void);
JNIEXPORT size_t jvmebpf_jvmti_drain(void *buf, size_t cap);
JNIEXPORT void jvmebpf_jvmti_stats(uint64_t *out, int count);

#endif
