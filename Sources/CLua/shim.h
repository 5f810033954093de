// Lua 5.4 from Debian's liblua5.4-dev (pkg-config lua5.4). Swift code does not use this module
// directly: every call into Lua goes through CLuaShim, which keeps Lua's longjmp errors in C.
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
