/*
 * Which virtual thread each carrier runs, for the BPF programs: HotSpot's JVMTI extension events
 * com.sun.hotspot.events.VirtualThreadMount and VirtualThreadUnmount are posted on the carrier,
 * after a mount and before an unmount; the callbacks write the virtual thread's id into the
 * carrier's slot, memory the Java side mapped from a BPF_F_MMAPABLE array, and 0 at unmount. A
 * CPU sample the kernel takes on the carrier then reads which virtual thread it belongs to.
 *
 * The callbacks run on every mount and unmount of every virtual thread, so they are tiny: no
 * syscall (the carrier's tid is cached in a C thread-local after its first mount), no allocation,
 * no lock, one JNI field read (the id); a virtual thread's name goes out once, at its first mount
 * (a direct-mapped cache of ids already named), into a bounded buffer the Java side drains.
 *
 * The environment is separate from the JIT map's: it needs can_support_virtual_threads, which a
 * JVM may refuse while the JIT map still works, and it is started and stopped on its own.
 */
#include <jvmti.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jvmti_fail.h"
#include "jvmti_vthreads.h"

#define MOUNT_EVENT "com.sun.hotspot.events.VirtualThreadMount"
#define UNMOUNT_EVENT "com.sun.hotspot.events.VirtualThreadUnmount"
#define NAMED_CACHE 65536 /* ids already named; a newer id may evict one, which is named again */
/* Characters of a name sent: at most 3 bytes each in modified UTF-8, plus the NUL JNI writes. */
#define NAME_CHARS ((JVMEBPF_VTHREAD_NAME_BYTES - 1) / 3)

static jvmtiEnv *env;
static jint mount_index = -1;
static jint unmount_index = -1;
static jfieldID tid_field;
static jfieldID name_field;
/* The slot arrays written: one per BPF object that reads them (the CPU sampler's, the syscalls'). */
static struct {
  struct jvmebpf_vthread_slot *slots; /* NULL: a free entry */
  uint32_t count;
} arrays[JVMEBPF_VTHREAD_SLOT_ARRAYS];
static int active;
/* Written by every carrier: on a cache line of their own, away from what the callbacks only read. */
static struct {
  uint64_t count[JVMEBPF_VT_STAT_COUNT];
} __attribute__((aligned(64))) stats; /* aligned: its size a whole line, shared with nothing */
static uint64_t named[NAMED_CACHE];

static struct jvmebpf_vthread_name names[JVMEBPF_VTHREAD_PENDING_NAMES];
static uint32_t names_head; /* next to drain */
static uint32_t names_count;
static char names_lock;

/* This carrier's tid, as gettid(2) in the JVM's PID namespace gives it: one syscall per carrier. */
static __thread uint32_t carrier_tid;

static void count(enum jvmebpf_vthread_stat stat) {
  __atomic_add_fetch(&stats.count[stat], 1, __ATOMIC_RELAXED);
}

static uint32_t current_tid(void) {
  if (carrier_tid == 0) {
    carrier_tid = (uint32_t)syscall(SYS_gettid);
  }
  return carrier_tid;
}

/*
 * Writes what the carrier runs into its slot. A slot another carrier holds (the same tid modulo
 * the slot count) is taken over only while that carrier runs no virtual thread; otherwise the
 * mount goes unpublished and counted, and its samples stay the carrier's.
 */
static void publish_into(struct jvmebpf_vthread_slot *slots, uint32_t length, uint32_t tid,
                         uint64_t vthread) {
  struct jvmebpf_vthread_slot *slot = &slots[tid % length];
  uint32_t owner = __atomic_load_n(&slot->tid, __ATOMIC_RELAXED);
  if (owner != tid) {
    if (vthread == 0) {
      return; // an unmount on a slot lost meanwhile: nothing of ours to clear
    }
    if ((owner != 0 && __atomic_load_n(&slot->vthread, __ATOMIC_RELAXED) != 0) ||
        !__atomic_compare_exchange_n(&slot->tid, &owner, tid, 0, __ATOMIC_RELAXED,
                                     __ATOMIC_RELAXED)) {
      count(JVMEBPF_VT_COLLISIONS);
      return;
    }
  }
  // The BPF program reads the slot on this carrier's own CPU, between its instructions: program
  // order is all it needs, no fence.
  __atomic_store_n(&slot->vthread, vthread, __ATOMIC_RELAXED);
}

static void publish(uint32_t tid, uint64_t vthread) {
  for (int i = 0; i < JVMEBPF_VTHREAD_SLOT_ARRAYS; i++) {
    struct jvmebpf_vthread_slot *slots = __atomic_load_n(&arrays[i].slots, __ATOMIC_ACQUIRE);
    if (slots != NULL) {
      publish_into(slots, arrays[i].count, tid, vthread);
    }
  }
}

/* Sends the name of a virtual thread not named before (as far as the cache remembers). */
static void send_name(JNIEnv *jni, jthread vthread, jlong id) {
  uint64_t *cached = &named[((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 48];
  if (__atomic_load_n(cached, __ATOMIC_RELAXED) == (uint64_t)id) {
    return;
  }
  __atomic_store_n(cached, (uint64_t)id, __ATOMIC_RELAXED);
  char name[JVMEBPF_VTHREAD_NAME_BYTES];
  name[0] = '\0';
  name[sizeof name - 1] = '\0';
  uint32_t length = 0;
  jstring string = (jstring)(*jni)->GetObjectField(jni, vthread, name_field);
  if (string != NULL) {
    jsize chars = (*jni)->GetStringLength(jni, string);
    // Into our own buffer: no allocation, unlike GetStringUTFChars or JVMTI's GetThreadInfo.
    (*jni)->GetStringUTFRegion(jni, string, 0, chars < NAME_CHARS ? chars : NAME_CHARS, name);
    if ((*jni)->ExceptionCheck(jni)) {
      (*jni)->ExceptionClear(jni); // never leave the host an exception pending
    } else {
      length = (uint32_t)strnlen(name, sizeof name - 1);
    }
    (*jni)->DeleteLocalRef(jni, string);
  }
  while (__atomic_test_and_set(&names_lock, __ATOMIC_ACQUIRE)) {
    sched_yield();
  }
  if (names_count < JVMEBPF_VTHREAD_PENDING_NAMES) {
    struct jvmebpf_vthread_name *entry =
        &names[(names_head + names_count) % JVMEBPF_VTHREAD_PENDING_NAMES];
    entry->id = id;
    entry->length = length;
    memcpy(entry->name, name, length);
    names_count++;
  } else {
    count(JVMEBPF_VT_NAMES_DROPPED);
  }
  __atomic_clear(&names_lock, __ATOMIC_RELEASE);
}

/* Extension events are varargs: (jvmtiEnv*, JNIEnv*, jthread) for these two. */
static void JNICALL on_mount(jvmtiEnv *jvmti, ...) {
  if (!__atomic_load_n(&active, __ATOMIC_ACQUIRE)) {
    return;
  }
  va_list args;
  va_start(args, jvmti);
  JNIEnv *jni = va_arg(args, JNIEnv *);
  jthread vthread = va_arg(args, jthread);
  va_end(args);
  if (jni == NULL || vthread == NULL) {
    return;
  }
  count(JVMEBPF_VT_MOUNTS);
  jlong id = (*jni)->GetLongField(jni, vthread, tid_field);
  publish(current_tid(), (uint64_t)id);
  send_name(jni, vthread, id);
}

static void JNICALL on_unmount(jvmtiEnv *jvmti, ...) {
  if (!__atomic_load_n(&active, __ATOMIC_ACQUIRE)) {
    return;
  }
  (void)jvmti;
  count(JVMEBPF_VT_UNMOUNTS);
  publish(current_tid(), 0);
}

/*
 * can_support_virtual_threads is the bit after can_generate_sampled_object_alloc_events (JDK 21+
 * jvmti.h); the helper is built against whatever JDK runs Maven, whose header may predate it, so
 * the bit is found from its neighbour's position rather than named.
 */
static void set_virtual_threads_capability(jvmtiCapabilities *caps) {
  jvmtiCapabilities neighbour;
  memset(&neighbour, 0, sizeof neighbour);
  neighbour.can_generate_sampled_object_alloc_events = 1;
  const unsigned char *bytes = (const unsigned char *)&neighbour;
  for (size_t bit = 0; bit + 1 < 8 * sizeof neighbour; bit++) {
    if (bytes[bit / 8] & (1u << (bit % 8))) {
      ((unsigned char *)caps)[(bit + 1) / 8] |= (unsigned char)(1u << ((bit + 1) % 8));
      return;
    }
  }
}

static int has_capability(const jvmtiCapabilities *have, const jvmtiCapabilities *wanted) {
  const unsigned char *h = (const unsigned char *)have, *w = (const unsigned char *)wanted;
  for (size_t i = 0; i < sizeof *have; i++) {
    if ((h[i] & w[i]) != w[i]) {
      return 0;
    }
  }
  return 1;
}

static void free_extension_events(jvmtiEnv *jvmti, jvmtiExtensionEventInfo *events, jint n) {
  for (jint i = 0; i < n; i++) {
    for (jint p = 0; p < events[i].param_count; p++) {
      (*jvmti)->Deallocate(jvmti, (unsigned char *)events[i].params[p].name);
    }
    (*jvmti)->Deallocate(jvmti, (unsigned char *)events[i].params);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)events[i].id);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)events[i].short_description);
  }
  (*jvmti)->Deallocate(jvmti, (unsigned char *)events);
}

static int find_events(jvmtiEnv *jvmti, char *error, size_t error_cap) {
  jint n = 0;
  jvmtiExtensionEventInfo *events = NULL;
  jvmtiError err = (*jvmti)->GetExtensionEvents(jvmti, &n, &events);
  if (err != JVMTI_ERROR_NONE) {
    return fail(error, error_cap, "JVMTI GetExtensionEvents failed: error %d", (int)err);
  }
  for (jint i = 0; i < n; i++) {
    if (strcmp(events[i].id, MOUNT_EVENT) == 0) {
      mount_index = events[i].extension_event_index;
    } else if (strcmp(events[i].id, UNMOUNT_EVENT) == 0) {
      unmount_index = events[i].extension_event_index;
    }
  }
  free_extension_events(jvmti, events, n);
  if (mount_index < 0 || unmount_index < 0) {
    return fail(error, error_cap, "this JVM posts no %s/Unmount extension events", MOUNT_EVENT);
  }
  return 0;
}

static int find_fields(JavaVM *java_vm, char *error, size_t error_cap) {
  JNIEnv *jni = NULL;
  if ((*java_vm)->GetEnv(java_vm, (void **)&jni, JNI_VERSION_1_6) != JNI_OK) {
    return fail(error, error_cap, "the calling thread has no JNI environment");
  }
  jclass thread = (*jni)->FindClass(jni, "java/lang/Thread");
  if (thread != NULL) {
    tid_field = (*jni)->GetFieldID(jni, thread, "tid", "J");
    name_field = tid_field == NULL ? NULL
                                   : (*jni)->GetFieldID(jni, thread, "name", "Ljava/lang/String;");
    (*jni)->DeleteLocalRef(jni, thread);
  }
  if ((*jni)->ExceptionCheck(jni)) {
    (*jni)->ExceptionClear(jni);
  }
  if (tid_field == NULL || name_field == NULL) {
    return fail(error, error_cap, "java.lang.Thread has no fields tid and name in this JVM");
  }
  return 0;
}

static int create_env(JavaVM *java_vm, char *error, size_t error_cap) {
  jvmtiEnv *jvmti = NULL;
  jint rc = (*java_vm)->GetEnv(java_vm, (void **)&jvmti, JVMTI_VERSION_1_2);
  if (rc != JNI_OK || jvmti == NULL) {
    return fail(error, error_cap, "the JVM offers no JVMTI environment (GetEnv returned %d)",
                (int)rc);
  }
  jvmtiCapabilities wanted, potential;
  memset(&wanted, 0, sizeof wanted);
  memset(&potential, 0, sizeof potential);
  set_virtual_threads_capability(&wanted);
  jvmtiError err = (*jvmti)->GetPotentialCapabilities(jvmti, &potential);
  if (err != JVMTI_ERROR_NONE || !has_capability(&potential, &wanted)) {
    (*jvmti)->DisposeEnvironment(jvmti);
    return fail(error, error_cap, "the JVM refuses JVMTI can_support_virtual_threads (error %d)",
                (int)err);
  }
  err = (*jvmti)->AddCapabilities(jvmti, &wanted);
  if (err != JVMTI_ERROR_NONE) {
    (*jvmti)->DisposeEnvironment(jvmti);
    return fail(error, error_cap,
                "the JVM refuses JVMTI can_support_virtual_threads: AddCapabilities error %d",
                (int)err);
  }
  if (find_events(jvmti, error, error_cap) != 0 || find_fields(java_vm, error, error_cap) != 0) {
    (*jvmti)->DisposeEnvironment(jvmti);
    return -1;
  }
  env = jvmti;
  return 0;
}

static void disable_events(void) {
  (*env)->SetEventNotificationMode(env, JVMTI_DISABLE, (jvmtiEvent)mount_index, NULL);
  (*env)->SetEventNotificationMode(env, JVMTI_DISABLE, (jvmtiEvent)unmount_index, NULL);
  (*env)->SetExtensionEventCallback(env, mount_index, NULL);
  (*env)->SetExtensionEventCallback(env, unmount_index, NULL);
}

/*
 * Adds slots[0 .. count) to the arrays every mount and unmount is written into, from now on:
 * memory that stays writable for the life of the process (the Java side replaces the mapping with
 * anonymous memory when it is done, never unmaps it, since a callback may still be running).
 * Returns the array's index, -1 when JVMEBPF_VTHREAD_SLOT_ARRAYS are in use. Callers serialize.
 */
JNIEXPORT int jvmebpf_vthreads_add_slots(void *slots, uint32_t count) {
  for (int i = 0; slots != NULL && count > 0 && i < JVMEBPF_VTHREAD_SLOT_ARRAYS; i++) {
    if (__atomic_load_n(&arrays[i].slots, __ATOMIC_ACQUIRE) == NULL) {
      arrays[i].count = count;
      __atomic_store_n(&arrays[i].slots, (struct jvmebpf_vthread_slot *)slots, __ATOMIC_RELEASE);
      return i;
    }
  }
  return -1;
}

/* No more writes into array `index` start after this returns (one under way may still land). */
JNIEXPORT void jvmebpf_vthreads_remove_slots(int index) {
  if (index >= 0 && index < JVMEBPF_VTHREAD_SLOT_ARRAYS) {
    __atomic_store_n(&arrays[index].slots, NULL, __ATOMIC_RELEASE);
  }
}

/*
 * Starts taking the mount events, written into the arrays added. Call from a Java thread, never
 * twice at once. Returns 0, or -1 with a sentence in error.
 */
JNIEXPORT int jvmebpf_vthreads_start(JavaVM *java_vm, char *error, size_t error_cap) {
  if (java_vm == NULL) {
    return fail(error, error_cap, "no JavaVM was given");
  }
  if (env == NULL && create_env(java_vm, error, error_cap) != 0) {
    return -1;
  }
  __atomic_store_n(&names_lock, 0, __ATOMIC_RELEASE);
  names_head = names_count = 0;
  __atomic_store_n(&active, 1, __ATOMIC_RELEASE);
  jvmtiError a = (*env)->SetExtensionEventCallback(env, mount_index, (jvmtiExtensionEvent)on_mount);
  jvmtiError b =
      (*env)->SetExtensionEventCallback(env, unmount_index, (jvmtiExtensionEvent)on_unmount);
  if (a != JVMTI_ERROR_NONE || b != JVMTI_ERROR_NONE) {
    jvmebpf_vthreads_stop();
    return fail(error, error_cap, "JVMTI SetExtensionEventCallback failed: errors %d, %d", (int)a,
                (int)b);
  }
  // HotSpot posts an extension event only when it is also enabled like a standard one, by the
  // index GetExtensionEvents gave it (a callback alone is not enough).
  a = (*env)->SetEventNotificationMode(env, JVMTI_ENABLE, (jvmtiEvent)mount_index, NULL);
  b = (*env)->SetEventNotificationMode(env, JVMTI_ENABLE, (jvmtiEvent)unmount_index, NULL);
  if (a != JVMTI_ERROR_NONE || b != JVMTI_ERROR_NONE) {
    jvmebpf_vthreads_stop();
    return fail(error, error_cap, "JVMTI could not enable the mount events: errors %d, %d", (int)a,
                (int)b);
  }
  return 0;
}

/* Stops publishing; the environment stays for the life of the process (see jvmti_helper.c). */
JNIEXPORT void jvmebpf_vthreads_stop(void) {
  __atomic_store_n(&active, 0, __ATOMIC_RELEASE);
  if (env != NULL) {
    disable_events();
  }
}

/* Moves pending names, whole entries, oldest first, into buf; returns the bytes written. */
JNIEXPORT size_t jvmebpf_vthreads_drain(void *buf, size_t cap) {
  size_t written = 0;
  if (buf == NULL) {
    return 0;
  }
  while (__atomic_test_and_set(&names_lock, __ATOMIC_ACQUIRE)) {
    sched_yield();
  }
  while (names_count > 0 && written + sizeof names[0] <= cap) {
    memcpy((char *)buf + written, &names[names_head], sizeof names[0]);
    written += sizeof names[0];
    names_head = (names_head + 1) % JVMEBPF_VTHREAD_PENDING_NAMES;
    names_count--;
  }
  __atomic_clear(&names_lock, __ATOMIC_RELEASE);
  return written;
}

JNIEXPORT void jvmebpf_vthreads_stats(uint64_t *out, int n) {
  for (int i = 0; out != NULL && i < n && i < JVMEBPF_VT_STAT_COUNT; i++) {
    out[i] = __atomic_load_n(&stats.count[i], __ATOMIC_RELAXED);
  }
}
