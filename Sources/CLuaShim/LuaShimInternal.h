#ifndef RENDERTRACKER_CLUASHIM_INTERNAL_H
#define RENDERTRACKER_CLUASHIM_INTERNAL_H

#include <lua.h>

// Between the shim's two files; Swift sees none of this.

// Work done inside a C function, charged to the running call as instructions: raises the call's
// stop (instruction budget, deadline) as the count hook would, which the hook cannot do itself
// while C runs.
void rt_charge(lua_State *state, unsigned instructions);

// Replaces string.find, string.match, string.gmatch and string.gsub (and so the string methods
// of the same names) with versions whose matching is charged to the call: LuaPatterns.c.
void rt_open_patterns(lua_State *state);

#endif
