#ifndef RENDERTRACKER_CLUASHIM_H
#define RENDERTRACKER_CLUASHIM_H

#include <stddef.h>
#include <stdint.h>

// The whole boundary between Swift and Lua. Lua raises errors with longjmp, which must never
// cross a Swift frame, so Swift never calls the Lua API itself: values cross as bytes in the
// encoding below, every Lua call runs under lua_pcall inside C, and Swift host functions return a
// status that C turns into a Lua error.
//
// Value encoding (native byte order):
//   0 nil | 1 false | 2 true | 3 int64 | 4 double | 5 u32 length + bytes (string)
//   6 u32 pair count + pairs of key, value (table) | 7 u32 length + type name (a value that
//   cannot cross: function, userdata, thread; or a table nested too deep)

typedef struct rt_buffer {
    uint8_t *bytes;
    size_t length;
    size_t capacity;
} rt_buffer;

/// Appends bytes to a buffer, growing it with malloc; returns 0 when memory ran out.
int rt_buffer_append(rt_buffer *buffer, const void *bytes, size_t length);
void rt_buffer_free(rt_buffer *buffer);

/// A host function implemented in Swift. `arguments` holds the Lua arguments encoded one after
/// another; the function appends its results, encoded, to `results` and returns how many, or
/// returns -1 after appending one encoded string: the error message raised in Lua.
typedef int32_t (*rt_host_function)(void *context, int32_t function_id, const uint8_t *arguments, size_t length, rt_buffer *results);

typedef struct rt_lua rt_lua;

/// Opens a Lua state with the safe libraries (base, string without dump, table, math, utf8,
/// coroutine, and os time/date/clock only; no io, no package, no debug) whose allocations are capped at
/// `memory_limit` bytes, then runs `prelude` (text only) with a global `host(id, ...)` calling
/// `host_function`. Returns NULL and fills `error` when the state or the prelude fails.
rt_lua *rt_lua_open(size_t memory_limit, const char *prelude, size_t prelude_length, rt_host_function host_function, void *context, rt_buffer *error);

void rt_lua_close(rt_lua *lua);

typedef enum rt_call_status {
    RT_CALL_OK = 0,
    RT_CALL_ERROR = 1,             // a Lua error; `results` holds the message and traceback
    RT_CALL_OUT_OF_MEMORY = 2,     // the state's memory cap was hit
    RT_CALL_INSTRUCTION_LIMIT = 3, // the instruction budget ran out
    RT_CALL_TIME_LIMIT = 4,        // the wall-clock limit passed
    RT_CALL_NO_FUNCTION = 5,       // the prelude has no global of that name
} rt_call_status;

/// Calls the prelude's global function `name` with the encoded `arguments` (a sequence of
/// values), allowing at most `instruction_limit` VM instructions and until `deadline_ns`
/// (CLOCK_MONOTONIC; 0 for none). On success `results` holds the encoded results, one after another.
rt_call_status rt_lua_call(
    rt_lua *lua, const char *name, const uint8_t *arguments, size_t length,
    uint64_t instruction_limit, uint64_t deadline_ns, rt_buffer *results
);

/// Bytes the state has allocated now.
size_t rt_lua_memory_in_use(const rt_lua *lua);

/// CLOCK_MONOTONIC in nanoseconds, the clock deadlines use.
uint64_t rt_monotonic_ns(void);

#endif
