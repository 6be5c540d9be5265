/* fuzz-common.h — what the libFuzzer harnesses share.
 *
 * The text loaders read paths, so a harness writes each input to an
 * in-memory file of its own and hands over its /proc/self/fd path.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The path of this process's input file, holding data[0, size). */
const char *fuzz_write_input (const uint8_t *data, size_t size);
