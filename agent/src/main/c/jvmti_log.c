/*
 * The record log: a singly linked FIFO of heap blocks under a spin lock. The lock guards only
 * pointer updates (records are built before and copied after it is held), so callbacks on compiler
 * threads never wait on a drain's copy. A spin lock rather than a pthread mutex keeps the helper's
 * imports to old libc symbols, so a helper built on a new glibc still loads on an older one.
 */
#include "jvmti_log.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

struct log_entry {
  struct log_entry *next;
  size_t footprint; /* bytes held, counted against JVMEBPF_MAX_PENDING */
  uint32_t len;
  unsigned char data[];
};

static struct log_entry *head;
static struct log_entry *tail;
static size_t pending;
static char lock_word;
static uint64_t stats[JVMEBPF_STAT_COUNT];

static void lock(void) {
  while (__atomic_test_and_set(&lock_word, __ATOMIC_ACQUIRE)) {
    sched_yield();
  }
}

static void unlock(void) { __atomic_clear(&lock_word, __ATOMIC_RELEASE); }

void stat_add(enum jvmebpf_stat stat, uint64_t n) {
  __atomic_add_fetch(&stats[stat], n, __ATOMIC_RELAXED);
}

void stats_read(uint64_t *out, int count) {
  for (int i = 0; i < count && i < JVMEBPF_STAT_COUNT; i++) {
    out[i] = i == JVMEBPF_STAT_PENDING_BYTES ? __atomic_load_n(&pending, __ATOMIC_RELAXED)
                                             : __atomic_load_n(&stats[i], __ATOMIC_RELAXED);
  }
}

void rec_init(record_builder *r) {
  r->entry = NULL;
  r->len = 0;
  r->cap = 0;
  r->failed = 0;
}

static int rec_reserve(record_builder *r, size_t n) {
  if (r->failed) {
    return 0;
  }
  if (r->len + n <= r->cap) {
    return 1;
  }
  if (r->len + n > JVMEBPF_MAX_RECORD) {
    r->failed = 1;
    return 0;
  }
  size_t cap = r->cap == 0 ? 512 : r->cap * 2;
  while (cap < r->len + n) {
    cap *= 2;
  }
  if (cap > JVMEBPF_MAX_RECORD) {
    cap = JVMEBPF_MAX_RECORD;
  }
  struct log_entry *grown = realloc(r->entry, sizeof(struct log_entry) + cap);
  if (grown == NULL) {
    r->failed = 1;
    return 0;
  }
  r->entry = grown;
  r->cap = cap;
  return 1;
}

void rec_put(record_builder *r, const void *data, size_t n) {
  if (rec_reserve(r, n)) {
    memcpy(r->entry->data + r->len, data, n);
    r->len += n;
  }
}

void rec_put_builder(record_builder *r, const record_builder *from) {
  if (from->failed) {
    r->failed = 1;
  } else if (from->len > 0) {
    rec_put(r, from->entry->data, from->len);
  }
}

void rec_u8(record_builder *r, uint8_t v) { rec_put(r, &v, sizeof v); }
void rec_u16(record_builder *r, uint16_t v) { rec_put(r, &v, sizeof v); }
void rec_u32(record_builder *r, uint32_t v) { rec_put(r, &v, sizeof v); }
void rec_u64(record_builder *r, uint64_t v) { rec_put(r, &v, sizeof v); }

void rec_name(record_builder *r, const char *name) {
  size_t n = strlen(name);
  rec_u16(r, (uint16_t)n);
  rec_put(r, name, n + 1);
}

void rec_patch_u32(record_builder *r, size_t offset, uint32_t v) {
  if (!r->failed && offset + sizeof v <= r->len) {
    memcpy(r->entry->data + offset, &v, sizeof v);
  }
}

void rec_header(record_builder *r, uint8_t type, uint8_t flags, uint64_t start, uint64_t size) {
  rec_u32(r, 0);
  rec_u8(r, type);
  rec_u8(r, flags);
  rec_u16(r, 0);
  rec_u64(r, start);
  rec_u64(r, size);
}

int rec_failed(const record_builder *r) { return r->failed; }

void rec_discard(record_builder *r) {
  free(r->entry);
  rec_init(r);
}

void log_append(record_builder *r) {
  struct log_entry *e = r->entry;
  if (r->failed || e == NULL) {
    stat_add(JVMEBPF_STAT_DROPPED, 1);
    rec_discard(r);
    return;
  }
  if (r->cap > r->len + 64) {
    // Records start with room to grow: give back what this one did not use.
    struct log_entry *shrunk = realloc(e, sizeof(struct log_entry) + r->len);
    if (shrunk != NULL) {
      e = shrunk;
      r->cap = r->len;
    }
  }
  e->next = NULL;
  e->len = (uint32_t)r->len;
  e->footprint = sizeof(struct log_entry) + r->cap;
  memcpy(e->data, &e->len, sizeof e->len);
  rec_init(r);

  int logged = 0;
  lock();
  if (pending + e->footprint <= JVMEBPF_MAX_PENDING) {
    if (tail == NULL) {
      head = e;
    } else {
      tail->next = e;
    }
    tail = e;
    pending += e->footprint;
    logged = 1;
  }
  unlock();
  if (logged) {
    stat_add(JVMEBPF_STAT_LOGGED, 1);
  } else {
    stat_add(JVMEBPF_STAT_DROPPED, 1);
    free(e);
  }
}

/* Unlinks the oldest records that fit in cap bytes; the caller copies and frees them. */
static struct log_entry *take(size_t cap) {
  lock();
  struct log_entry *first = head;
  struct log_entry *last = NULL;
  size_t bytes = 0;
  for (struct log_entry *e = head; e != NULL && bytes + e->len <= cap; e = e->next) {
    bytes += e->len;
    pending -= e->footprint;
    last = e;
  }
  if (last == NULL) {
    first = NULL;
  } else {
    head = last->next;
    if (head == NULL) {
      tail = NULL;
    }
    last->next = NULL;
  }
  unlock();
  return first;
}

size_t log_drain(void *buf, size_t cap) {
  size_t written = 0;
  for (struct log_entry *e = take(cap); e != NULL;) {
    struct log_entry *next = e->next;
    memcpy((unsigned char *)buf + written, e->data, e->len);
    written += e->len;
    free(e);
    e = next;
  }
  return written;
}

void log_clear(void) {
  lock();
  struct log_entry *e = head;
  head = NULL;
  tail = NULL;
  pending = 0;
  unlock();
  while (e != NULL) {
    struct log_entry *next = e->next;
    free(e);
    e = next;
  }
}
