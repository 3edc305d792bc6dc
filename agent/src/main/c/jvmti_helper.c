/*
 * The JVMTI helper: started late, from a Java thread, in a JVM that is already running (no
 * -agentpath), it records where the JIT put each compiled method and which methods it inlined at
 * each pc, where the JVM generated its interpreter and stubs, and which compiled code it freed.
 * The Java side (io.jvmebpf.agent.jit) drains those records to name the instruction pointers of
 * BPF stack walks.
 *
 * Never harm the host: every JVMTI result is checked, memory is bounded (jvmti_log.c), nothing is
 * printed, and a failure is a sentence returned to the Java side.
 */
#include <jvmti.h>
#include <jvmticmlr.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jvmti_fail.h"
#include "jvmti_helper.h"
#include "jvmti_log.h"
#include "jvmti_names.h"

static JavaVM *vm;
static jvmtiEnv *jvmti;
/* Callbacks that begin after stop() record nothing (see jvmebpf_jvmti_stop). */
static int active;

static const jvmtiEvent EVENTS[] = {
    JVMTI_EVENT_COMPILED_METHOD_LOAD,
    JVMTI_EVENT_COMPILED_METHOD_UNLOAD,
    JVMTI_EVENT_DYNAMIC_CODE_GENERATED,
};
#define EVENT_COUNT ((int)(sizeof EVENTS / sizeof EVENTS[0]))

static int is_active(void) { return __atomic_load_n(&active, __ATOMIC_ACQUIRE); }

/* Names one method; "[unknown]" (counted) when JVMTI cannot, e.g. its class was unloaded. */
static void name_method(JNIEnv *jni, jmethodID method, char *out, size_t cap) {
  jclass holder = NULL;
  char *signature = NULL;
  char *name = NULL;
  if ((*jvmti)->GetMethodDeclaringClass(jvmti, method, &holder) == JVMTI_ERROR_NONE &&
      (*jvmti)->GetClassSignature(jvmti, holder, &signature, NULL) == JVMTI_ERROR_NONE &&
      (*jvmti)->GetMethodName(jvmti, method, &name, NULL, NULL) == JVMTI_ERROR_NONE) {
    java_method_name(signature, name, out, cap);
  } else {
    stat_add(JVMEBPF_STAT_NAME_ERRORS, 1);
    snprintf(out, cap, "[unknown]");
  }
  if (name != NULL) {
    (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
  }
  if (signature != NULL) {
    (*jvmti)->Deallocate(jvmti, (unsigned char *)signature);
  }
  // The callback's thread may be a Java thread in a long native call (GenerateEvents from the
  // Java side): without this, one local reference per method would pile up until it returns.
  if (holder != NULL && jni != NULL) {
    (*jni)->DeleteLocalRef(jni, holder);
  }
}

static JNIEnv *current_jni(void) {
  JNIEnv *jni = NULL;
  if ((*vm)->GetEnv(vm, (void **)&jni, JNI_VERSION_1_6) != JNI_OK) {
    return NULL;
  }
  return jni;
}

static const jvmtiCompiledMethodLoadInlineRecord *inline_record(const void *compile_info) {
  for (const jvmtiCompiledMethodLoadRecordHeader *h = compile_info; h != NULL; h = h->next) {
    if (h->kind == JVMTI_CMLR_INLINE_INFO) {
      return (const jvmtiCompiledMethodLoadInlineRecord *)h;
    }
  }
  return NULL;
}

/*
 * The distinct methods of one compiled method, in order of first appearance, so that each name is
 * resolved and written once however many pcs it appears at: an open-addressing table on the
 * jmethodID, sized for the frames at hand. Method 0 is the compiled method itself.
 */
typedef struct {
  jmethodID *ids;
  uint16_t *slots; /* index + 1; 0 is empty */
  size_t mask;
  int count;
  int max;
} method_table;

/* Room for up to max methods (at most JVMEBPF_MAX_METHODS); 0 when memory ran out. */
static int table_init(method_table *t, size_t max) {
  if (max > JVMEBPF_MAX_METHODS) {
    max = JVMEBPF_MAX_METHODS;
  }
  size_t size = 16;
  while (size < 2 * max) {
    size *= 2;
  }
  t->ids = malloc(max * sizeof *t->ids);
  t->slots = calloc(size, sizeof *t->slots);
  t->mask = size - 1;
  t->count = 0;
  t->max = (int)max;
  return t->ids != NULL && t->slots != NULL;
}

static void table_free(method_table *t) {
  free(t->ids);
  free(t->slots);
}

/* The method's index, added if new; -1 when the table is full. */
static int intern(method_table *t, jmethodID id) {
  uint64_t h = (uint64_t)(uintptr_t)id * 0x9E3779B97F4A7C15ull;
  for (size_t i = (size_t)(h >> 32) & t->mask;; i = (i + 1) & t->mask) {
    if (t->slots[i] == 0) {
      if (t->count == t->max) {
        return -1;
      }
      t->ids[t->count] = id;
      t->slots[i] = (uint16_t)(++t->count);
      return t->count - 1;
    }
    if (t->ids[t->slots[i] - 1] == id) {
      return t->slots[i] - 1;
    }
  }
}

/* Every frame at every pc, plus the compiled method: the most distinct methods there can be. */
static size_t frames_in(const jvmtiCompiledMethodLoadInlineRecord *inl) {
  size_t frames = 1;
  for (jint i = 0; inl != NULL && i < inl->numpcs; i++) {
    if (inl->pcinfo[i].numstackframes > 0) {
      frames += (size_t)inl->pcinfo[i].numstackframes;
    }
  }
  return frames;
}

/*
 * Writes the pcs part of a LOAD record into pcs and fills methods; 0 when the inlining does not
 * fit (too many distinct methods, or more than half a record), and the caller sends the compiled
 * method alone.
 */
static int encode_pcs(const jvmtiCompiledMethodLoadInlineRecord *inl, const void *code_addr,
                      method_table *methods, record_builder *pcs, uint32_t *pc_count) {
  *pc_count = 0;
  for (jint i = 0; i < inl->numpcs; i++) {
    const PCStackInfo *info = &inl->pcinfo[i];
    if (info->numstackframes <= 0 || info->numstackframes > 0xFFFF || info->pc < code_addr) {
      continue;
    }
    rec_u32(pcs, (uint32_t)((const char *)info->pc - (const char *)code_addr));
    rec_u16(pcs, (uint16_t)info->numstackframes);
    // JVMTI lists the frames innermost first (the ScopeDesc chain); the record, outermost first.
    for (jint f = info->numstackframes - 1; f >= 0; f--) {
      int index = intern(methods, info->methods[f]);
      if (index < 0) {
        return 0;
      }
      rec_u16(pcs, (uint16_t)index);
    }
    if (rec_failed(pcs) || pcs->len > JVMEBPF_MAX_RECORD / 2) {
      return 0;
    }
    (*pc_count)++;
  }
  return 1;
}

/* A LOAD record naming methods->count methods; false when it does not fit in one record. */
static int write_load(record_builder *r, uint8_t flags, const void *code_addr, jint code_size,
                      const method_table *methods, const record_builder *pcs, uint32_t pc_count,
                      char *name) {
  rec_init(r);
  rec_header(r, JVMEBPF_RECORD_LOAD, flags, (uint64_t)(uintptr_t)code_addr, (uint64_t)code_size);
  rec_u32(r, (uint32_t)methods->count);
  rec_u32(r, pc_count);
  JNIEnv *jni = current_jni();
  for (int i = 0; i < methods->count && !rec_failed(r); i++) {
    name_method(jni, methods->ids[i], name, JVMEBPF_MAX_NAME);
    rec_name(r, name);
  }
  rec_put_builder(r, pcs);
  return !rec_failed(r);
}

static void log_load(jmethodID method, jint code_size, const void *code_addr,
                     const void *compile_info) {
  const jvmtiCompiledMethodLoadInlineRecord *inl = inline_record(compile_info);
  method_table methods;
  char *name = malloc(JVMEBPF_MAX_NAME);
  if (!table_init(&methods, frames_in(inl)) || name == NULL) {
    stat_add(JVMEBPF_STAT_DROPPED, 1);
    table_free(&methods);
    free(name);
    return;
  }
  intern(&methods, method);
  record_builder pcs;
  rec_init(&pcs);
  uint32_t pc_count = 0;
  int inlining = inl == NULL || encode_pcs(inl, code_addr, &methods, &pcs, &pc_count);

  record_builder r;
  rec_init(&r);
  if (!inlining || !write_load(&r, 0, code_addr, code_size, &methods, &pcs, pc_count, name)) {
    // Too much inlining for one record: the compiled method alone still names its samples.
    stat_add(JVMEBPF_STAT_INLINING_DROPPED, 1);
    rec_discard(&r);
    rec_discard(&pcs);
    methods.count = 1;
    write_load(&r, JVMEBPF_FLAG_INLINING_DROPPED, code_addr, code_size, &methods, &pcs, 0, name);
  }
  rec_discard(&pcs);
  table_free(&methods);
  free(name);
  log_append(&r);
}

static void JNICALL on_compiled_method_load(jvmtiEnv *env, jmethodID method, jint code_size,
                                            const void *code_addr, jint map_length,
                                            const jvmtiAddrLocationMap *map,
                                            const void *compile_info) {
  (void)env, (void)map_length, (void)map;
  if (is_active() && code_addr != NULL && code_size > 0) {
    log_load(method, code_size, code_addr, compile_info);
  }
}

static void JNICALL on_compiled_method_unload(jvmtiEnv *env, jmethodID method,
                                              const void *code_addr) {
  (void)env, (void)method; // the method may be gone with its class: the address says it all
  if (is_active() && code_addr != NULL) {
    record_builder r;
    rec_init(&r);
    rec_header(&r, JVMEBPF_RECORD_UNLOAD, 0, (uint64_t)(uintptr_t)code_addr, 0);
    log_append(&r);
  }
}

static void JNICALL on_dynamic_code_generated(jvmtiEnv *env, const char *name, const void *address,
                                              jint length) {
  (void)env;
  if (is_active() && address != NULL && length > 0) {
    char cut[JVMEBPF_MAX_NAME];
    blob_name(name == NULL ? "[unknown stub]" : name, cut, sizeof cut);
    record_builder r;
    rec_init(&r);
    rec_header(&r, JVMEBPF_RECORD_DYNAMIC, 0, (uint64_t)(uintptr_t)address, (uint64_t)length);
    rec_name(&r, cut);
    log_append(&r);
  }
}

/* Formats the sentence start() returns; always returns -1. */
static void disable_events(void) {
  for (int i = 0; i < EVENT_COUNT; i++) {
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_DISABLE, EVENTS[i], NULL);
  }
}

/* Creates the environment once: capability and callbacks. */
static int create_env(JavaVM *java_vm, char *error, size_t error_cap) {
  jvmtiEnv *env = NULL;
  jint rc = (*java_vm)->GetEnv(java_vm, (void **)&env, JVMTI_VERSION_1_2);
  if (rc != JNI_OK || env == NULL) {
    return fail(error, error_cap, "the JVM offers no JVMTI 1.2 environment (GetEnv returned %d)",
                (int)rc);
  }
  jvmtiCapabilities potential;
  memset(&potential, 0, sizeof potential);
  jvmtiError err = (*env)->GetPotentialCapabilities(env, &potential);
  if (err != JVMTI_ERROR_NONE || !potential.can_generate_compiled_method_load_events) {
    (*env)->DisposeEnvironment(env);
    return fail(error, error_cap, "this JVM cannot report compiled methods to JVMTI (error %d)",
                (int)err);
  }
  jvmtiCapabilities wanted;
  memset(&wanted, 0, sizeof wanted);
  wanted.can_generate_compiled_method_load_events = 1;
  err = (*env)->AddCapabilities(env, &wanted);
  if (err != JVMTI_ERROR_NONE) {
    (*env)->DisposeEnvironment(env);
    return fail(error, error_cap,
                "JVMTI AddCapabilities(can_generate_compiled_method_load_events) failed: error %d",
                (int)err);
  }
  jvmtiEventCallbacks callbacks;
  memset(&callbacks, 0, sizeof callbacks);
  callbacks.CompiledMethodLoad = on_compiled_method_load;
  callbacks.CompiledMethodUnload = on_compiled_method_unload;
  callbacks.DynamicCodeGenerated = on_dynamic_code_generated;
  err = (*env)->SetEventCallbacks(env, &callbacks, (jint)sizeof callbacks);
  if (err != JVMTI_ERROR_NONE) {
    (*env)->DisposeEnvironment(env);
    return fail(error, error_cap, "JVMTI SetEventCallbacks failed: error %d", (int)err);
  }
  vm = java_vm;
  jvmti = env;
  return 0;
}

JNIEXPORT int jvmebpf_jvmti_abi(void) { return JVMEBPF_JVMTI_ABI; }

/*
 * Starts recording: events on, then the code that exists already replayed (GenerateEvents) into
 * the emptied log. Call from a Java thread in the live phase (an FFM downcall is one), never twice
 * at once. Returns 0, or -1 with a sentence in error.
 */
JNIEXPORT int jvmebpf_jvmti_start(JavaVM *java_vm, char *error, size_t error_cap) {
  if (java_vm == NULL) {
    return fail(error, error_cap, "no JavaVM was given");
  }
  if (jvmti == NULL && create_env(java_vm, error, error_cap) != 0) {
    return -1;
  }
  log_clear();
  __atomic_store_n(&active, 1, __ATOMIC_RELEASE);
  for (int i = 0; i < EVENT_COUNT; i++) {
    jvmtiError err = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, EVENTS[i], NULL);
    if (err != JVMTI_ERROR_NONE) {
      jvmebpf_jvmti_stop();
      return fail(error, error_cap, "JVMTI could not enable event %d: error %d", (int)EVENTS[i],
                  (int)err);
    }
  }
  static const jvmtiEvent replayed[] = {JVMTI_EVENT_DYNAMIC_CODE_GENERATED,
                                        JVMTI_EVENT_COMPILED_METHOD_LOAD};
  for (int i = 0; i < 2; i++) {
    jvmtiError err = (*jvmti)->GenerateEvents(jvmti, replayed[i]);
    if (err != JVMTI_ERROR_NONE) {
      jvmebpf_jvmti_stop();
      return fail(error, error_cap, "JVMTI GenerateEvents(%d) failed: error %d", (int)replayed[i],
                  (int)err);
    }
  }
  return 0;
}

/*
 * Stops recording and frees the log. The environment stays, with its callbacks, for the life of
 * the process: a callback already running on a compiler thread when the events go off still
 * calls into it, and disposing it under that callback is what this avoids. A callback that passed
 * its is_active() check just before may still append one record after the log is cleared; the
 * next start() clears it. The library itself is never unloaded (the Java side loads it into the
 * global arena) for the same reason.
 */
JNIEXPORT void jvmebpf_jvmti_stop(void) {
  __atomic_store_n(&active, 0, __ATOMIC_RELEASE);
  if (jvmti != NULL) {
    disable_events();
  }
  log_clear();
}

/*
 * Moves whole records, oldest first, into buf and returns the bytes written; 0 when none are
 * pending. cap must be at least JVMEBPF_MAX_RECORD.
 */
JNIEXPORT size_t jvmebpf_jvmti_drain(void *buf, size_t cap) {
  return buf == NULL || cap < JVMEBPF_MAX_RECORD ? 0 : log_drain(buf, cap);
}

/* Fills out[0 .. count) with the counters of enum jvmebpf_stat. */
JNIEXPORT void jvmebpf_jvmti_stats(uint64_t *out, int count) {
  if (out != NULL) {
    stats_read(out, count);
  }
}
