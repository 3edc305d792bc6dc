#include "jvmti_names.h"

#include <string.h>

static int is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The length of name without a hidden class's ".0x1234" / "+0x1234" / "/0x1234" suffix. */
static size_t without_address(const char *name, size_t len) {
  size_t i = len;
  while (i > 0 && is_hex(name[i - 1])) {
    i--;
  }
  if (i < len && i >= 3 && name[i - 1] == 'x' && name[i - 2] == '0' &&
      (name[i - 3] == '.' || name[i - 3] == '+' || name[i - 3] == '/')) {
    return i - 3;
  }
  return len;
}

/* The length of name without the counter of a pre-JDK 21 lambda ("$$Lambda$14" -> "$$Lambda"). */
static size_t without_lambda_counter(const char *name, size_t len) {
  static const char lambda[] = "$$Lambda$";
  size_t i = len;
  while (i > 0 && is_digit(name[i - 1])) {
    i--;
  }
  size_t n = sizeof lambda - 1;
  if (i < len && i >= n && memcmp(name + i - n, lambda, n) == 0) {
    return i - 1;
  }
  return len;
}

/*
 * Appends n bytes of s at *at ('/' as '.' when asked), stopping short of cap - 1 and then before
 * any character that did not fit whole.
 */
static void append(char *out, size_t cap, size_t *at, const char *s, size_t n, int slash_to_dot) {
  size_t room = cap - 1 - *at;
  if (n > room) {
    n = room;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
      n--; /* s[n] continues the character s[n - 1] is part of: cut before that character */
    }
  }
  for (size_t i = 0; i < n; i++) {
    out[*at + i] = slash_to_dot && s[i] == '/' ? '.' : s[i];
  }
  *at += n;
  out[*at] = '\0';
}

void java_method_name(const char *class_signature, const char *method, char *out, size_t cap) {
  const char *cls = class_signature;
  size_t len = strlen(cls);
  if (len >= 2 && cls[0] == 'L' && cls[len - 1] == ';') {
    cls++;
    len -= 2;
  }
  len = without_lambda_counter(cls, without_address(cls, len));

  size_t at = 0;
  out[0] = '\0';
  append(out, cap, &at, cls, len, 1);
  append(out, cap, &at, ".", 1, 0);
  append(out, cap, &at, method, strlen(method), 0);
}

void blob_name(const char *name, char *out, size_t cap) {
  size_t len = strlen(name);
  size_t i = len;
  if (i > 0 && name[i - 1] == ')') {
    i--;
    while (i > 0 && is_hex(name[i - 1])) {
      i--;
    }
    if (i < len - 1 && i >= 3 && name[i - 1] == 'x' && name[i - 2] == '0' && name[i - 3] == '(') {
      len = i - 3;
    }
  }
  size_t at = 0;
  out[0] = '\0';
  append(out, cap, &at, name, len, 0);
}
