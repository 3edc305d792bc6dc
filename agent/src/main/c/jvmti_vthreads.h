/*
 * The virtual-thread half of the JVMTI helper: which virtual thread each carrier runs, written
 * into slots the BPF programs read (profile.h's struct vthread_slot), and each virtual thread's
 * name once. VirtualThreadMounts.java mirrors the constants and the name entry's layout.
 */
#ifndef JVMEBPF_JVMTI_VTHREADS_H
#define JVMEBPF_JVMTI_VTHREADS_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

/* One slot per carrier, at its tid modulo the slot count; the layout of profile.h's. */
struct jvmebpf_vthread_slot {
  uint32_t tid;     /* the carrier that owns the slot, as the JVM sees it; 0: free */
  uint32_t unused;
  uint64_t vthread; /* the mounted virtual thread's Thread.threadId(); 0: none */
};

/* Slot arrays written at once: one per BPF object that reads them. */
#define JVMEBPF_VTHREAD_SLOT_ARRAYS 4

/* A virtual thread's name, sent at its first mount: fixed-size entries, drained as they are. */
#define JVMEBPF_VTHREAD_NAME_BYTES 240
struct jvmebpf_vthread_name {
  int64_t id;
  uint32_t length; /* bytes of name, modified UTF-8, no NUL */
  uint32_t unused;
  char name[JVMEBPF_VTHREAD_NAME_BYTES];
};
/* Undrained names beyond this many are dropped and counted. */
#define JVMEBPF_VTHREAD_PENDING_NAMES 4096

enum jvmebpf_vthread_stat {
  JVMEBPF_VT_MOUNTS,        /* mounts seen */
  JVMEBPF_VT_UNMOUNTS,      /* unmounts seen */
  JVMEBPF_VT_COLLISIONS,    /* mounts not published: another carrier held the slot */
  JVMEBPF_VT_NAMES_DROPPED, /* names not sent: too many undrained */
  JVMEBPF_VT_STAT_COUNT
};

JNIEXPORT int jvmebpf_vthreads_add_slots(void *slots, uint32_t count);
JNIEXPORT void jvmebpf_vthreads_remove_slots(int index);
JNIEXPORT int jvmebpf_vthreads_start(JavaVM *java_vm, char *error, size_t error_cap);
JNIEXPORT void jvmebpf_vthreads_stop(void);
JNIEXPORT size_t jvmebpf_vthreads_drain(void *buf, size_t cap);
JNIEXPORT void jvmebpf_vthreads_stats(uint64_t *out, int count);

#endif
