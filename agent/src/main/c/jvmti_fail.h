/*
 * How the helper's setup functions fail: the reason into the caller's buffer, for the Java side
 * to say in one line, and -1 returned.
 */
#ifndef JVMEBPF_JVMTI_FAIL_H
#define JVMEBPF_JVMTI_FAIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

__attribute__((format(printf, 3, 4)))
static inline int fail(char *error, size_t error_cap, const char *format, ...) {
  if (error != NULL && error_cap > 0) {
    va_list args;
    va_start(args, format);
    vsnprintf(error, error_cap, format, args);
    va_end(args);
  }
  return -1;
}

#endif
