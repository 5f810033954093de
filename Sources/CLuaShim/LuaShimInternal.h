#ifndef RENDERTRACKER_CLUASHIM_INTERNAL_H
#define RENDERTRACKER_CLUASHIM_INTERNAL_H

#include <lua.h>
#include <stdint.h>

// Between the shim's two files; Swift sees none of this.

// Work done inside a C function, charged to the running call as instructions: raises the call's
// stop (instruction budget, and the deadline when check_deadline) as the count hook would, which
// the hook cannot do itself while C runs. Reading the clock costs about 25 ns: a function that is
// done charges its last few steps without it (the hook reads it soon enough).
void rt_charge(lua_State *state, uint64_t instructions, int check_deadline);

// Replaces string.find, string.match, string.gmatch and string.gsub (and so the string methods
// of the same names) with versions whose matching is charged to the call: LuaPatterns.c.
void rt_open_patterns(lua_State *state);

#endif
