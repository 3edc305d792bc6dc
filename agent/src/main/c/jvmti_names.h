/* Java names as profiles show them: "pkg.Class.method", from what JVMTI gives. */
#ifndef JVMEBPF_JVMTI_NAMES_H
#define JVMEBPF_JVMTI_NAMES_H

#include <stddef.h>

/*
 * Writes "pkg.Class.method" into out (cap bytes, always NUL-terminated, cut at a UTF-8 character
 * boundary) from a class signature ("Lpkg/Class;") and a method name. A hidden class loses its
 * address suffix: "Lpkg/Foo$$Lambda.0x0000000801001000;" (JDK 21+; '+' or '/' before the address
 * in older JDKs, and "$$Lambda$14" before JDK 21) becomes "pkg.Foo$$Lambda", so that the same
 * lambda has the same name in every run and profiles of two runs can be compared and merged.
 */
void java_method_name(const char *class_signature, const char *method, char *out, size_t cap);

/*
 * Writes a generated code blob's name into out (cap bytes, NUL-terminated) without a trailing
 * "(0x...)": HotSpot names the adapters it creates while running with their signature fingerprint
 * ("I2C/C2I adapters(0xbbebaa)") and those replayed by GenerateEvents without; one name for all.
 */
void blob_name(const char *name, char *out, size_t cap);

#endif
