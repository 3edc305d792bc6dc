/*
 * The bounded, thread-safe log of records between the JVMTI callbacks (compiler, service and
 * Java threads, any number at once) and the one Java thread that drains it.
 */
#ifndef JVMEBPF_JVMTI_LOG_H
#define JVMEBPF_JVMTI_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "jvmti_helper.h"

struct log_entry;

/* One record being written; it grows up to JVMEBPF_MAX_RECORD, then fails (see rec_failed). */
typedef struct {
  struct log_entry *entry;
  size_t len;
  size_t cap;
  int failed;
} record_builder;

void rec_init(record_builder *r);
void rec_put(record_builder *r, const void *data, size_t n);
void rec_u8(record_builder *r, uint8_t v);
void rec_u16(record_builder *r, uint16_t v);
void rec_u32(record_builder *r, uint32_t v);
void rec_u64(record_builder *r, uint64_t v);
/* Appends what another builder holds. */
void rec_put_builder(record_builder *r, const record_builder *from);
/* A name: u16 length, the bytes, NUL. */
void rec_name(record_builder *r, const char *name);
/* Overwrites 4 bytes already written (the record's length, once known). */
void rec_patch_u32(record_builder *r, size_t offset, uint32_t v);
/* Writes the common header with a zero length, patched by log_append. */
void rec_header(record_builder *r, uint8_t type, uint8_t flags, uint64_t start, uint64_t size);
int rec_failed(const record_builder *r);
void rec_discard(record_builder *r);

/* Appends the record and takes it over; counts it as dropped when the log is full. */
void log_append(record_builder *r);
/* Moves whole records, oldest first, into buf; returns the bytes written (0: nothing pending). */
size_t log_drain(void *buf, size_t cap);
void log_clear(void);

void stat_add(enum jvmebpf_stat stat, uint64_t n);
void stats_read(uint64_t *out, int count);

#endif
