#include "CLuaShim.h"
#include "LuaShimInternal.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { VALUE_NIL, VALUE_FALSE, VALUE_TRUE, VALUE_INTEGER, VALUE_DOUBLE, VALUE_STRING, VALUE_TABLE, VALUE_OPAQUE };

// Instructions between two looks at the budget and the clock: rare enough to cost nothing
// measurable, often enough that a runaway loop stops within microseconds of its limit.
#define HOOK_INTERVAL 1000
// Tables nested deeper than this (or containing themselves) cross as an opaque value.
#define MAX_DEPTH 32
// Values one transfer to the host may hold (a call's results, or a host function's arguments),
// counting a table each time it appears: the host copies every occurrence, so a table whose two
// halves are the same sub-table, 29 levels deep, is 2^30 values to copy though Lua holds 29
// tables (it took the daemon out of memory in 4.9 s). Each value also costs one instruction of
// the call's budget, and the encoded bytes count against the memory cap. Measured with
// `plugins check` on such tables of 2^15 to 2^21 values: about 150 bytes and 1.4 us per value in
// the host, so 100,000 values cost at most 15 MB and 0.14 s; a scenario's 10,000-frame render
// passes about 20,000.
#define MAX_TRANSFER_VALUES 100000

struct rt_lua {
    lua_State *state;
    size_t memory_in_use;
    size_t memory_limit;
    uint64_t instructions_left;
    uint64_t deadline_ns;
    rt_call_status stop_reason;
    char stop_location[256];
    rt_host_function host_function;
    void *context;
    rt_buffer host_arguments;
    rt_buffer host_results;
};

// The address is the sentinel's identity: the error object a stopped call raises, which the
// prelude's pcall wrappers refuse to swallow.
static char stop_sentinel;

uint64_t rt_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

int rt_buffer_append(rt_buffer *buffer, const void *bytes, size_t length) {
    if (buffer->length + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 256;
        while (capacity < buffer->length + length) capacity *= 2;
        uint8_t *grown = realloc(buffer->bytes, capacity);
        if (grown == NULL) return 0;
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    if (length > 0) memcpy(buffer->bytes + buffer->length, bytes, length);
    buffer->length += length;
    return 1;
}

void rt_buffer_free(rt_buffer *buffer) {
    free(buffer->bytes);
    buffer->bytes = NULL;
    buffer->length = 0;
    buffer->capacity = 0;
}

static rt_lua *owner(lua_State *state) { return *(rt_lua **)lua_getextraspace(state); }

// Counts every byte the state holds and refuses growth past the cap, which Lua reports as a
// memory error: the only limit that also stops C functions such as string.rep.
static void *capped_allocator(void *userdata, void *pointer, size_t old_size, size_t new_size) {
    rt_lua *lua = userdata;
    size_t old_in_use = pointer ? old_size : 0;
    if (new_size == 0) {
        free(pointer);
        lua->memory_in_use -= old_in_use;
        return NULL;
    }
    if (new_size > old_in_use && lua->memory_in_use - old_in_use + new_size > lua->memory_limit) return NULL;
    void *resized = realloc(pointer, new_size);
    if (resized != NULL) lua->memory_in_use = lua->memory_in_use - old_in_use + new_size;
    return resized;
}

static int panic(lua_State *state) {
    // Only reached for an error outside any lua_pcall, which this file never lets happen.
    (void)state;
    abort();
}

static void ignore_warning(void *userdata, const char *message, int to_continue) {
    (void)userdata; (void)message; (void)to_continue;
}

static void stop(lua_State *state, rt_call_status reason) {
    rt_lua *lua = owner(state);
    if (lua->stop_reason == RT_CALL_OK) {
        lua->stop_reason = reason;
        lua_Debug where;
        lua->stop_location[0] = 0;
        // The running function, or for a C function (a pattern match) the Lua line that called it.
        for (int level = 0; level < 2 && lua->stop_location[0] == 0; level++) {
            if (lua_getstack(state, level, &where) && lua_getinfo(state, "Sl", &where) && where.currentline > 0) {
                snprintf(lua->stop_location, sizeof lua->stop_location, "%s:%d", where.short_src, where.currentline);
            }
        }
    }
    lua_pushlightuserdata(state, &stop_sentinel);
    lua_error(state);
}

void rt_charge(lua_State *state, uint64_t instructions, int check_deadline) {
    rt_lua *lua = owner(state);
    // Once stopped, every later tick raises again, so a plugin's own loop cannot outlive its call.
    if (lua->stop_reason != RT_CALL_OK) stop(state, lua->stop_reason);
    if (lua->instructions_left <= instructions) stop(state, RT_CALL_INSTRUCTION_LIMIT);
    lua->instructions_left -= instructions;
    if (check_deadline && lua->deadline_ns != 0 && rt_monotonic_ns() > lua->deadline_ns) stop(state, RT_CALL_TIME_LIMIT);
}

static void budget_hook(lua_State *state, lua_Debug *debug) {
    (void)debug;
    rt_charge(state, HOOK_INTERVAL, 1);
}

// --- values across the boundary ------------------------------------------------------------

// What one transfer has used: values left, and the tables being encoded (outermost first), so a
// table met again inside itself is a cycle, not 32 levels of copies.
typedef struct transfer {
    size_t values_left;
    int depth;
    const void *path[MAX_DEPTH];
} transfer;

// The bytes of a transfer count against the state's memory cap, as if the plugin held them.
static void append_or_raise(lua_State *state, rt_buffer *buffer, const void *bytes, size_t length) {
    rt_lua *lua = owner(state);
    if (lua->memory_in_use + buffer->length + length > lua->memory_limit) {
        luaL_error(state, "values passed to the host would take more than the plugin's memory cap (%I bytes)", (lua_Integer)lua->memory_limit);
    }
    if (!rt_buffer_append(buffer, bytes, length)) luaL_error(state, "out of memory while passing values to the host");
}

// One value more in this transfer: refused past MAX_TRANSFER_VALUES, and charged to the call's
// instruction budget (and every 1024 values, its deadline).
static void count_value(lua_State *state, transfer *used) {
    if (used->values_left == 0) {
        luaL_error(state, "more than %d values to pass to the host (a table counts each time it appears: one shared by both "
            "halves of its parent doubles at every level)", MAX_TRANSFER_VALUES);
    }
    used->values_left -= 1;
    rt_charge(state, 1, (used->values_left & 1023) == 0);
}

static void append_tag(lua_State *state, rt_buffer *buffer, uint8_t tag) { append_or_raise(state, buffer, &tag, 1); }

static void append_counted(lua_State *state, rt_buffer *buffer, uint8_t tag, const char *bytes, size_t length) {
    if (length > UINT32_MAX) luaL_error(state, "a string of %I bytes is too long to pass to the host", (lua_Integer)length);
    uint32_t count = (uint32_t)length;
    append_tag(state, buffer, tag);
    append_or_raise(state, buffer, &count, sizeof count);
    append_or_raise(state, buffer, bytes, length);
}

static void encode_value(lua_State *state, int index, rt_buffer *buffer, transfer *used) {
    index = lua_absindex(state, index);
    count_value(state, used);
    switch (lua_type(state, index)) {
    case LUA_TNIL:
        append_tag(state, buffer, VALUE_NIL);
        return;
    case LUA_TBOOLEAN:
        append_tag(state, buffer, lua_toboolean(state, index) ? VALUE_TRUE : VALUE_FALSE);
        return;
    case LUA_TNUMBER:
        if (lua_isinteger(state, index)) {
            int64_t integer = (int64_t)lua_tointeger(state, index);
            append_tag(state, buffer, VALUE_INTEGER);
            append_or_raise(state, buffer, &integer, sizeof integer);
        } else {
            double number = (double)lua_tonumber(state, index);
            append_tag(state, buffer, VALUE_DOUBLE);
            append_or_raise(state, buffer, &number, sizeof number);
        }
        return;
    case LUA_TSTRING: {
        size_t length;
        const char *bytes = lua_tolstring(state, index, &length);
        append_counted(state, buffer, VALUE_STRING, bytes, length);
        return;
    }
    case LUA_TTABLE: {
        if (used->depth >= MAX_DEPTH) {
            append_counted(state, buffer, VALUE_OPAQUE, "table nested too deep", strlen("table nested too deep"));
            return;
        }
        const void *table = lua_topointer(state, index);
        for (int level = 0; level < used->depth; level++) {
            if (used->path[level] == table) {
                append_counted(state, buffer, VALUE_OPAQUE, "table containing itself", strlen("table containing itself"));
                return;
            }
        }
        used->path[used->depth++] = table;
        luaL_checkstack(state, 3, "passing a table to the host");
        append_tag(state, buffer, VALUE_TABLE);
        size_t count_at = buffer->length;
        uint32_t count = 0;
        append_or_raise(state, buffer, &count, sizeof count);
        lua_pushnil(state);
        while (lua_next(state, index) != 0) {
            encode_value(state, -2, buffer, used);
            encode_value(state, -1, buffer, used);
            lua_pop(state, 1);
            count += 1;
        }
        memcpy(buffer->bytes + count_at, &count, sizeof count);
        used->depth -= 1;
        return;
    }
    default: {
        const char *name = luaL_typename(state, index);
        append_counted(state, buffer, VALUE_OPAQUE, name, strlen(name));
        return;
    }
    }
}

typedef struct reader {
    const uint8_t *bytes;
    size_t length;
    size_t offset;
} reader;

static void take(lua_State *state, reader *from, void *into, size_t length) {
    if (length > from->length - from->offset) luaL_error(state, "malformed value from the host");
    memcpy(into, from->bytes + from->offset, length);
    from->offset += length;
}

static void decode_value(lua_State *state, reader *from, int depth) {
    if (depth > MAX_DEPTH) luaL_error(state, "value from the host nested too deep");
    luaL_checkstack(state, 3, "taking a value from the host");
    uint8_t tag;
    take(state, from, &tag, 1);
    switch (tag) {
    case VALUE_NIL: lua_pushnil(state); return;
    case VALUE_FALSE: lua_pushboolean(state, 0); return;
    case VALUE_TRUE: lua_pushboolean(state, 1); return;
    case VALUE_INTEGER: {
        int64_t integer;
        take(state, from, &integer, sizeof integer);
        lua_pushinteger(state, (lua_Integer)integer);
        return;
    }
    case VALUE_DOUBLE: {
        double number;
        take(state, from, &number, sizeof number);
        lua_pushnumber(state, (lua_Number)number);
        return;
    }
    case VALUE_STRING:
    case VALUE_OPAQUE: {
        uint32_t length;
        take(state, from, &length, sizeof length);
        if (length > from->length - from->offset) luaL_error(state, "malformed value from the host");
        lua_pushlstring(state, (const char *)from->bytes + from->offset, length);
        from->offset += length;
        return;
    }
    case VALUE_TABLE: {
        uint32_t count;
        take(state, from, &count, sizeof count);
        lua_createtable(state, 0, 0);
        for (uint32_t pair = 0; pair < count; pair++) {
            decode_value(state, from, depth + 1);
            decode_value(state, from, depth + 1);
            if (lua_isnil(state, -2)) luaL_error(state, "malformed value from the host: nil table key");
            lua_rawset(state, -3);
        }
        return;
    }
    default:
        luaL_error(state, "malformed value from the host: tag %d", (int)tag);
    }
}

static int decode_all(lua_State *state, const uint8_t *bytes, size_t length) {
    reader from = { bytes, length, 0 };
    int count = 0;
    while (from.offset < from.length) {
        decode_value(state, &from, 0);
        count += 1;
    }
    return count;
}

// --- host functions ------------------------------------------------------------------------

// `host(id, ...)`: the one C function Lua sees; the prelude wraps it into tracker.log, tracker.http_post...
static int call_host(lua_State *state) {
    rt_lua *lua = owner(state);
    int32_t function_id = (int32_t)luaL_checkinteger(state, 1);
    lua->host_arguments.length = 0;
    int top = lua_gettop(state);
    transfer used = { MAX_TRANSFER_VALUES, 0, { NULL } };
    for (int index = 2; index <= top; index++) encode_value(state, index, &lua->host_arguments, &used);
    lua->host_results.length = 0;
    int32_t count = lua->host_function(lua->context, function_id, lua->host_arguments.bytes, lua->host_arguments.length, &lua->host_results);
    int pushed = decode_all(state, lua->host_results.bytes, lua->host_results.length);
    if (count < 0) {
        if (pushed != 1) luaL_error(state, "host function %d failed without a message", (int)function_id);
        // Level 1 is the prelude's tracker.* wrapper; level 2 is the plugin line that called it.
        luaL_where(state, 2);
        lua_insert(state, -2);
        lua_concat(state, 2);
        return lua_error(state);
    }
    return pushed;
}

// Whether the running call has been stopped: lets the prelude's pcall wrappers re-raise a stop
// even when it reached them as "error in error handling".
static int is_stopped(lua_State *state) {
    lua_pushboolean(state, owner(state)->stop_reason != RT_CALL_OK);
    return 1;
}

static int traceback(lua_State *state) {
    if (lua_touserdata(state, 1) == &stop_sentinel) return 1;
    const char *message = lua_tostring(state, 1);
    if (message == NULL) message = lua_pushfstring(state, "(error object is a %s value)", luaL_typename(state, 1));
    luaL_traceback(state, state, message, 1);
    return 1;
}

// --- calls ---------------------------------------------------------------------------------

typedef struct call_request {
    const char *name;
    const uint8_t *arguments;
    size_t length;
    rt_buffer *results;
    int found;
} call_request;

// Runs inside lua_pcall, so every Lua error on the way (decoding, the call, encoding) lands there.
static int protected_call(lua_State *state) {
    call_request *request = lua_touserdata(state, 1);
    lua_settop(state, 0);
    if (lua_getglobal(state, request->name) != LUA_TFUNCTION) return 0;
    request->found = 1;
    int count = decode_all(state, request->arguments, request->length);
    lua_call(state, count, LUA_MULTRET);
    int results = lua_gettop(state);
    transfer used = { MAX_TRANSFER_VALUES, 0, { NULL } };
    for (int index = 1; index <= results; index++) encode_value(state, index, request->results, &used);
    return 0;
}

rt_call_status rt_lua_call(
    rt_lua *lua, const char *name, const uint8_t *arguments, size_t length,
    uint64_t instruction_limit, uint64_t deadline_ns, rt_buffer *results
) {
    lua_State *state = lua->state;
    lua->instructions_left = instruction_limit;
    lua->deadline_ns = deadline_ns;
    lua->stop_reason = RT_CALL_OK;
    results->length = 0;
    call_request request = { name, arguments, length, results, 0 };
    lua_settop(state, 0);
    lua_pushcfunction(state, traceback);
    lua_pushcfunction(state, protected_call);
    lua_pushlightuserdata(state, &request);
    int status = lua_pcall(state, 1, 0, 1);
    rt_call_status outcome = RT_CALL_OK;
    if (lua->stop_reason != RT_CALL_OK) {
        outcome = lua->stop_reason;
        results->length = 0;
        rt_buffer_append(results, lua->stop_location, strlen(lua->stop_location));
    } else if (status == LUA_ERRMEM) {
        outcome = RT_CALL_OUT_OF_MEMORY;
        results->length = 0;
    } else if (status != LUA_OK) {
        outcome = RT_CALL_ERROR;
        size_t message_length = 0;
        const char *message = lua_tolstring(state, -1, &message_length);
        results->length = 0;
        if (message != NULL) rt_buffer_append(results, message, message_length);
    } else if (!request.found) {
        outcome = RT_CALL_NO_FUNCTION;
    } else if (lua->deadline_ns != 0 && rt_monotonic_ns() > lua->deadline_ns) {
        // The hook cannot stop a C function (a long pattern match); a call that overran inside
        // one still failed its limit, even if it then returned.
        outcome = RT_CALL_TIME_LIMIT;
        results->length = 0;
        const char *where = "inside a library function";
        rt_buffer_append(results, where, strlen(where));
    }
    lua_settop(state, 0);
    lua->stop_reason = RT_CALL_OK;
    lua->deadline_ns = 0;
    if (outcome == RT_CALL_OUT_OF_MEMORY) lua_gc(state, LUA_GCCOLLECT);
    return outcome;
}

// --- the state -----------------------------------------------------------------------------

static int open_libraries(lua_State *state) {
    static const luaL_Reg libraries[] = {
        { LUA_GNAME, luaopen_base }, { LUA_STRLIBNAME, luaopen_string }, { LUA_TABLIBNAME, luaopen_table },
        { LUA_MATHLIBNAME, luaopen_math }, { LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_COLIBNAME, luaopen_coroutine },
        { LUA_OSLIBNAME, luaopen_os },
    };
    for (size_t index = 0; index < sizeof libraries / sizeof libraries[0]; index++) {
        luaL_requiref(state, libraries[index].name, libraries[index].func, 1);
        lua_pop(state, 1);
    }
    // string.dump turns a function into bytecode, which a state that loads text only has no use
    // for. Removed from the library itself, it is also gone from every string's methods
    // (`("").dump`): the string metatable's __index is this same table.
    lua_getglobal(state, LUA_STRLIBNAME);
    lua_pushnil(state);
    lua_setfield(state, -2, "dump");
    lua_pop(state, 1);
    rt_open_patterns(state);
    lua_pushcfunction(state, call_host);
    lua_setglobal(state, "host");
    lua_pushcfunction(state, is_stopped);
    lua_setglobal(state, "host_call_stopped");
    lua_pushlightuserdata(state, &stop_sentinel);
    lua_setglobal(state, "host_stop_sentinel");
    return 0;
}

rt_lua *rt_lua_open(size_t memory_limit, const char *prelude, size_t prelude_length, rt_host_function host_function, void *context, rt_buffer *error) {
    rt_lua *lua = calloc(1, sizeof *lua);
    if (lua == NULL) return NULL;
    lua->memory_limit = memory_limit;
    lua->host_function = host_function;
    lua->context = context;
    lua->state = lua_newstate(capped_allocator, lua);
    if (lua->state == NULL) {
        rt_buffer_append(error, "not enough memory for a Lua state", strlen("not enough memory for a Lua state"));
        free(lua);
        return NULL;
    }
    lua_State *state = lua->state;
    *(rt_lua **)lua_getextraspace(state) = lua;
    lua_atpanic(state, panic);
    lua_setwarnf(state, ignore_warning, NULL);
    lua_sethook(state, budget_hook, LUA_MASKCOUNT, HOOK_INTERVAL);
    lua->instructions_left = UINT64_MAX;

    lua_pushcfunction(state, traceback);
    lua_pushcfunction(state, open_libraries);
    int status = lua_pcall(state, 0, 0, 1);
    if (status == LUA_OK) {
        status = luaL_loadbufferx(state, prelude, prelude_length, "=prelude", "t");
        if (status == LUA_OK) status = lua_pcall(state, 0, 0, 1);
    }
    if (status != LUA_OK) {
        size_t length = 0;
        const char *message = lua_tolstring(state, -1, &length);
        if (message == NULL) {
            message = "not enough memory to open the Lua state";
            length = strlen(message);
        }
        rt_buffer_append(error, message, length);
        rt_lua_close(lua);
        return NULL;
    }
    lua_settop(state, 0);
    return lua;
}

void rt_lua_close(rt_lua *lua) {
    if (lua == NULL) return;
    // Finalizers cannot run plugin code (the prelude refuses __gc), so closing is bounded.
    lua_close(lua->state);
    rt_buffer_free(&lua->host_arguments);
    rt_buffer_free(&lua->host_results);
    free(lua);
}

size_t rt_lua_memory_in_use(const rt_lua *lua) { return lua->memory_in_use; }
