// string.find, string.match, string.gmatch and string.gsub with Lua 5.4's pattern language (as
// the reference manual, section 6.4.1, describes it), written here so that matching is charged to
// the running call. Lua's own matcher backtracks inside one C call, where the count hook never
// runs: `string.rep("a", 100):find("a*a*a*a*a*a*a*b")` kept `plugins check` busy for over a
// minute, a hook for as long (starving every other plugin's hooks, and holding up SIGTERM), and
// a naming call's lock. Here every step of the matcher counts as an instruction of the call's
// budget, checked with its deadline every HOOK_STEPS steps, so a runaway match stops at the
// call's limits like a runaway loop, with the plugin's line.

#include "LuaShimInternal.h"

#include <ctype.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <string.h>

#define ESCAPE '%'
#define SPECIALS "^$*+?.([%-"
#define MAX_CAPTURES 32
// Nested pattern items the matcher recurses through; beyond, "pattern too complex".
#define MAX_NESTING 200
// Steps between two charges: the same rhythm as the instruction hook.
#define HOOK_STEPS 1000

enum { CAPTURE_UNCLOSED = -1, CAPTURE_POSITION = -2 };

typedef struct matcher {
    lua_State *state;
    const char *subject;
    const char *subject_end;
    const char *pattern_end;
    int nesting_left;
    int capture_count;
    struct {
        const char *start;
        ptrdiff_t length;  // or CAPTURE_UNCLOSED, CAPTURE_POSITION
    } captures[MAX_CAPTURES];
    uint64_t steps;  // not yet charged
} matcher;

// Counts steps, and charges them to the call once there are HOOK_STEPS or more: one addition and
// one comparison per step on the way.
static inline void charge(matcher *m, uint64_t steps) {
    m->steps += steps;
    if (m->steps >= HOOK_STEPS) {
        uint64_t due = m->steps;
        m->steps = 0;
        rt_charge(m->state, due, 1);
    }
}

static void start_matcher(matcher *m, lua_State *state, const char *subject, size_t subject_length, const char *pattern, size_t pattern_length) {
    m->state = state;
    m->subject = subject;
    m->subject_end = subject + subject_length;
    m->pattern_end = pattern + pattern_length;
    m->steps = 0;
}

static void reset_matcher(matcher *m) {
    m->nesting_left = MAX_NESTING;
    m->capture_count = 0;
}

// The steps left over at the end of a call are charged too (many short matches add up), without
// reading the clock.
static void finish_matcher(matcher *m) {
    if (m->steps > 0) rt_charge(m->state, m->steps, 0);
    m->steps = 0;
}

// --- single characters ---------------------------------------------------------------------

// `%a`, `%d`...: whether c is in the class named by letter (its upper case: the complement);
// any other letter stands for itself.
static int in_class(int c, int letter) {
    int inside;
    switch (tolower(letter)) {
    case 'a': inside = isalpha(c); break;
    case 'c': inside = iscntrl(c); break;
    case 'd': inside = isdigit(c); break;
    case 'g': inside = isgraph(c); break;
    case 'l': inside = islower(c); break;
    case 'p': inside = ispunct(c); break;
    case 's': inside = isspace(c); break;
    case 'u': inside = isupper(c); break;
    case 'w': inside = isalnum(c); break;
    case 'x': inside = isxdigit(c); break;
    case 'z': inside = c == 0; break;  // not in the 5.4 manual, but Lua 5.4 still takes it
    default: return letter == c;
    }
    if (isupper(letter)) inside = !inside;
    return inside != 0;
}

// Whether c is in the set from `open` (its '[') to `close` (its ']').
static int in_set(int c, const char *open, const char *close) {
    const char *p = open + 1;
    int wanted = 1;
    if (*p == '^') {
        wanted = 0;
        p++;
    }
    while (p < close) {
        if (*p == ESCAPE) {
            if (in_class(c, (unsigned char)p[1])) return wanted;
            p += 2;
        } else if (p + 2 < close && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return wanted;
            p += 3;
        } else {
            if ((unsigned char)*p == c) return wanted;
            p++;
        }
    }
    return !wanted;
}

// Past the single-character class that starts at p (`x`, `.`, `%a`, `[set]`).
static const char *class_end(matcher *m, const char *p) {
    if (*p == ESCAPE) {
        if (p + 1 >= m->pattern_end) luaL_error(m->state, "malformed pattern (ends with '%%')");
        return p + 2;
    }
    if (*p == '[') {
        const char *q = p + 1;
        if (q < m->pattern_end && *q == '^') q++;
        // The first character of a set may be ']' itself.
        do {
            if (q >= m->pattern_end) luaL_error(m->state, "malformed pattern (missing ']')");
            if (*q == ESCAPE) {
                q++;
                if (q >= m->pattern_end) luaL_error(m->state, "malformed pattern (missing ']')");
            }
            q++;
        } while (q >= m->pattern_end || *q != ']');
        return q + 1;
    }
    return p + 1;
}

// Whether the character at s (if any) is in the class from p to end.
static int class_matches(matcher *m, const char *s, const char *p, const char *end) {
    if (s >= m->subject_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case ESCAPE: return in_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, end - 1);
    default: return (unsigned char)*p == c;
    }
}

// --- the matcher ---------------------------------------------------------------------------

static const char *match_at(matcher *m, const char *s, const char *p);

// `x*` and `x+` (from one already matched): as many as possible, then fewer until the rest matches.
static const char *longest_first(matcher *m, const char *s, const char *p, const char *class_stop) {
    size_t count = 0;
    while (class_matches(m, s + count, p, class_stop)) {
        charge(m, 1);
        count++;
    }
    for (;;) {
        const char *end = match_at(m, s + count, class_stop + 1);
        if (end != NULL) return end;
        if (count == 0) return NULL;
        count--;
    }
}

// `x-`: as few as possible, one more until the rest matches.
static const char *shortest_first(matcher *m, const char *s, const char *p, const char *class_stop) {
    for (;;) {
        const char *end = match_at(m, s, class_stop + 1);
        if (end != NULL) return end;
        if (!class_matches(m, s, p, class_stop)) return NULL;
        charge(m, 1);
        s++;
    }
}

static const char *open_capture(matcher *m, const char *s, const char *p, ptrdiff_t kind) {
    if (m->capture_count >= MAX_CAPTURES) luaL_error(m->state, "too many captures");
    m->captures[m->capture_count].start = s;
    m->captures[m->capture_count].length = kind;
    m->capture_count++;
    const char *end = match_at(m, s, p);
    if (end == NULL) m->capture_count--;
    return end;
}

static const char *close_capture(matcher *m, const char *s, const char *p) {
    int open = m->capture_count - 1;
    while (open >= 0 && m->captures[open].length != CAPTURE_UNCLOSED) open--;
    if (open < 0) luaL_error(m->state, "invalid pattern capture");
    m->captures[open].length = s - m->captures[open].start;
    const char *end = match_at(m, s, p);
    if (end == NULL) m->captures[open].length = CAPTURE_UNCLOSED;
    return end;
}

// `%bxy` at s: an x, then up to the y that balances it.
static const char *balanced(matcher *m, const char *s, const char *p) {
    if (p + 1 >= m->pattern_end) luaL_error(m->state, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->subject_end || *s != p[0]) return NULL;
    int depth = 1;
    for (const char *t = s + 1; t < m->subject_end; t++) {
        charge(m, 1);
        if (*t == p[1]) {
            if (--depth == 0) return t + 1;
        } else if (*t == p[0]) {
            depth++;
        }
    }
    return NULL;
}

// `%1`...`%9` at s: the same text as that capture.
static const char *same_as_capture(matcher *m, const char *s, int digit) {
    int index = digit - '1';
    if (index < 0 || index >= m->capture_count || m->captures[index].length == CAPTURE_UNCLOSED) {
        luaL_error(m->state, "invalid capture index %%%d", index + 1);
    }
    ptrdiff_t length = m->captures[index].length;
    if (length < 0 || m->subject_end - s < length) return NULL;  // a position capture matches no text
    charge(m, (size_t)length);
    return memcmp(m->captures[index].start, s, (size_t)length) == 0 ? s + length : NULL;
}

// Where the match of pattern p at subject position s ends, or NULL.
static const char *match_at(matcher *m, const char *s, const char *p) {
    if (m->nesting_left-- == 0) luaL_error(m->state, "pattern too complex");
    const char *end = NULL;
    for (;;) {
        charge(m, 1);
        if (p >= m->pattern_end) {
            end = s;
            break;
        }
        if (*p == '(') {
            end = p + 1 < m->pattern_end && p[1] == ')' ? open_capture(m, s, p + 2, CAPTURE_POSITION)
                                                          : open_capture(m, s, p + 1, CAPTURE_UNCLOSED);
            break;
        }
        if (*p == ')') {
            end = close_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->pattern_end) {
            end = s == m->subject_end ? s : NULL;
            break;
        }
        if (*p == ESCAPE && p + 1 < m->pattern_end && p[1] == 'b') {
            s = balanced(m, s, p + 2);
            if (s == NULL) break;
            p += 4;
            continue;
        }
        if (*p == ESCAPE && p + 1 < m->pattern_end && p[1] == 'f') {
            p += 2;
            if (p >= m->pattern_end || *p != '[') luaL_error(m->state, "missing '[' after '%%f' in pattern");
            const char *set_end = class_end(m, p);
            int before = s == m->subject ? 0 : (unsigned char)s[-1];
            int here = s < m->subject_end ? (unsigned char)*s : 0;
            if (in_set(before, p, set_end - 1) || !in_set(here, p, set_end - 1)) break;
            p = set_end;
            continue;
        }
        if (*p == ESCAPE && p + 1 < m->pattern_end && isdigit((unsigned char)p[1])) {
            s = same_as_capture(m, s, (unsigned char)p[1]);
            if (s == NULL) break;
            p += 2;
            continue;
        }
        const char *class_stop = class_end(m, p);
        int quantifier = class_stop < m->pattern_end ? *class_stop : 0;
        if (!class_matches(m, s, p, class_stop)) {
            if (quantifier == '*' || quantifier == '?' || quantifier == '-') {
                p = class_stop + 1;  // none of it is fine
                continue;
            }
            break;
        }
        if (quantifier == '?') {
            end = match_at(m, s + 1, class_stop + 1);
            if (end != NULL) break;
            p = class_stop + 1;
            continue;
        }
        if (quantifier == '+') {
            end = longest_first(m, s + 1, p, class_stop);
            break;
        }
        if (quantifier == '*') {
            end = longest_first(m, s, p, class_stop);
            break;
        }
        if (quantifier == '-') {
            end = shortest_first(m, s, p, class_stop);
            break;
        }
        s++;
        p = class_stop;
    }
    m->nesting_left++;
    return end;
}

// --- captures to Lua -----------------------------------------------------------------------

// Capture `index` of a match from s to end; with no captures, capture 0 is the whole match.
static void push_capture(matcher *m, int index, const char *s, const char *end) {
    if (index >= m->capture_count) {
        if (index != 0) luaL_error(m->state, "invalid capture index %%%d", index + 1);
        lua_pushlstring(m->state, s, (size_t)(end - s));
        return;
    }
    ptrdiff_t length = m->captures[index].length;
    if (length == CAPTURE_UNCLOSED) luaL_error(m->state, "unfinished capture");
    if (length == CAPTURE_POSITION) {
        lua_pushinteger(m->state, (lua_Integer)(m->captures[index].start - m->subject) + 1);
    } else {
        lua_pushlstring(m->state, m->captures[index].start, (size_t)length);
    }
}

// Every capture, or the whole match when there are none and s is given; returns how many.
static int push_captures(matcher *m, const char *s, const char *end) {
    int count = m->capture_count == 0 && s != NULL ? 1 : m->capture_count;
    luaL_checkstack(m->state, count, "too many captures");
    for (int index = 0; index < count; index++) push_capture(m, index, s, end);
    return count;
}

// --- the library functions -----------------------------------------------------------------

// A 1-based start position, negative from the end, as a 0-based offset (may be past the end).
static size_t start_offset(lua_Integer position, size_t length) {
    if (position > 0) return (size_t)position - 1;
    if (position == 0 || position < -(lua_Integer)length) return 0;
    return length + (size_t)position;
}

// Lua strings end with a zero byte after their length, and may hold zeros: each zero-terminated
// piece is searched in turn.
static int has_specials(const char *pattern, size_t length) {
    const char *piece = pattern;
    do {
        if (strpbrk(piece, SPECIALS) != NULL) return 1;
        piece += strlen(piece) + 1;
    } while (piece <= pattern + length);
    return 0;
}

// The first place `needle` occurs in `haystack`, or NULL; every comparison is charged.
static const char *plain_search(matcher *m, const char *haystack, size_t length, const char *needle, size_t needle_length) {
    if (needle_length == 0) return haystack;
    if (needle_length > length) return NULL;
    const char *last = haystack + (length - needle_length);
    const char *at = haystack;
    while (at <= last && (at = memchr(at, needle[0], (size_t)(last - at) + 1)) != NULL) {
        charge(m, needle_length);
        if (memcmp(at + 1, needle + 1, needle_length - 1) == 0) return at;
        at++;
    }
    return NULL;
}

// string.find (find) and string.match (!find).
static int find_or_match(lua_State *state, int find) {
    size_t subject_length, pattern_length;
    const char *subject = luaL_checklstring(state, 1, &subject_length);
    const char *pattern = luaL_checklstring(state, 2, &pattern_length);
    size_t offset = start_offset(luaL_optinteger(state, 3, 1), subject_length);
    if (offset > subject_length) {
        luaL_pushfail(state);
        return 1;
    }
    matcher m;
    start_matcher(&m, state, subject, subject_length, pattern, pattern_length);
    if (find && (lua_toboolean(state, 4) || !has_specials(pattern, pattern_length))) {
        const char *found = plain_search(&m, subject + offset, subject_length - offset, pattern, pattern_length);
        finish_matcher(&m);
        if (found == NULL) {
            luaL_pushfail(state);
            return 1;
        }
        lua_pushinteger(state, (lua_Integer)(found - subject) + 1);
        lua_pushinteger(state, (lua_Integer)(found - subject) + (lua_Integer)pattern_length);
        return 2;
    }
    int anchored = pattern_length > 0 && *pattern == '^';
    if (anchored) pattern++;
    for (const char *start = subject + offset;; start++) {
        reset_matcher(&m);
        const char *end = match_at(&m, start, pattern);
        if (end != NULL) {
            finish_matcher(&m);
            if (!find) return push_captures(&m, start, end);
            lua_pushinteger(state, (lua_Integer)(start - subject) + 1);
            lua_pushinteger(state, (lua_Integer)(end - subject));
            return push_captures(&m, NULL, NULL) + 2;
        }
        if (anchored || start >= m.subject_end) break;
    }
    finish_matcher(&m);
    luaL_pushfail(state);
    return 1;
}

static int pattern_find(lua_State *state) { return find_or_match(state, 1); }

static int pattern_match(lua_State *state) { return find_or_match(state, 0); }

// The iterator string.gmatch returns. Upvalues: subject, pattern, next offset, end of the last
// match (-1 before the first), so that an empty match right after a match is skipped.
static int next_match(lua_State *state) {
    size_t subject_length, pattern_length;
    const char *subject = lua_tolstring(state, lua_upvalueindex(1), &subject_length);
    const char *pattern = lua_tolstring(state, lua_upvalueindex(2), &pattern_length);
    lua_Integer offset = lua_tointeger(state, lua_upvalueindex(3));
    lua_Integer last_end = lua_tointeger(state, lua_upvalueindex(4));
    matcher m;
    start_matcher(&m, state, subject, subject_length, pattern, pattern_length);
    for (const char *start = subject + offset; start <= m.subject_end; start++) {
        reset_matcher(&m);
        const char *end = match_at(&m, start, pattern);
        if (end != NULL && end - subject != last_end) {
            finish_matcher(&m);
            lua_pushinteger(state, end - subject);
            lua_pushvalue(state, -1);
            lua_replace(state, lua_upvalueindex(3));
            lua_replace(state, lua_upvalueindex(4));
            return push_captures(&m, start, end);
        }
    }
    finish_matcher(&m);
    return 0;
}

static int pattern_gmatch(lua_State *state) {
    size_t subject_length;
    luaL_checklstring(state, 1, &subject_length);
    luaL_checkstring(state, 2);
    size_t offset = start_offset(luaL_optinteger(state, 3, 1), subject_length);
    if (offset > subject_length) offset = subject_length + 1;
    lua_settop(state, 2);
    lua_pushinteger(state, (lua_Integer)offset);
    lua_pushinteger(state, -1);
    lua_pushcclosure(state, next_match, 4);
    return 1;
}

// Appends what replaces one match (from s to end) to the buffer: `repl` at index 3.
static void add_replacement(matcher *m, luaL_Buffer *buffer, const char *s, const char *end) {
    lua_State *state = m->state;
    switch (lua_type(state, 3)) {
    case LUA_TFUNCTION: {
        lua_pushvalue(state, 3);
        int count = push_captures(m, s, end);
        lua_call(state, count, 1);
        break;
    }
    case LUA_TTABLE:
        push_capture(m, 0, s, end);
        lua_gettable(state, 3);
        break;
    default: {  // a string or a number: `%0` to `%9` and `%%` are replaced
        size_t length;
        const char *text = lua_tolstring(state, 3, &length);
        const char *text_end = text + length;
        for (const char *p = text; p < text_end; p++) {
            if (*p != ESCAPE) {
                luaL_addchar(buffer, *p);
                continue;
            }
            p++;
            if (p < text_end && *p == ESCAPE) {
                luaL_addchar(buffer, ESCAPE);
            } else if (p < text_end && isdigit((unsigned char)*p)) {
                if (*p == '0') {
                    luaL_addlstring(buffer, s, (size_t)(end - s));
                } else {
                    push_capture(m, *p - '1', s, end);
                    luaL_tolstring(state, -1, NULL);
                    lua_remove(state, -2);
                    luaL_addvalue(buffer);
                }
            } else {
                luaL_error(state, "invalid use of '%c' in replacement string", ESCAPE);
            }
        }
        return;
    }
    }
    // From a function or a table: false or nil keeps the matched text.
    if (!lua_toboolean(state, -1)) {
        lua_pop(state, 1);
        luaL_addlstring(buffer, s, (size_t)(end - s));
    } else if (!lua_isstring(state, -1)) {
        luaL_error(state, "invalid replacement value (a %s)", luaL_typename(state, -1));
    } else {
        luaL_addvalue(buffer);
    }
}

static int pattern_gsub(lua_State *state) {
    size_t subject_length, pattern_length;
    const char *subject = luaL_checklstring(state, 1, &subject_length);
    const char *pattern = luaL_checklstring(state, 2, &pattern_length);
    int kind = lua_type(state, 3);
    luaL_argexpected(state, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE, 3,
        "string/function/table");
    lua_Integer most = luaL_optinteger(state, 4, (lua_Integer)subject_length + 1);
    int anchored = pattern_length > 0 && *pattern == '^';
    if (anchored) pattern++;
    luaL_Buffer buffer;
    luaL_buffinit(state, &buffer);
    matcher m;
    start_matcher(&m, state, subject, subject_length, pattern, pattern_length - (size_t)anchored);
    const char *s = subject;
    const char *last_end = NULL;
    lua_Integer replaced = 0;
    while (replaced < most) {
        reset_matcher(&m);
        const char *end = match_at(&m, s, pattern);
        if (end != NULL && end != last_end) {
            replaced++;
            add_replacement(&m, &buffer, s, end);
            s = last_end = end;
        } else if (s < m.subject_end) {
            luaL_addchar(&buffer, *s++);
        } else {
            break;
        }
        if (anchored) break;
    }
    finish_matcher(&m);
    luaL_addlstring(&buffer, s, (size_t)(m.subject_end - s));
    luaL_pushresult(&buffer);
    lua_pushinteger(state, replaced);
    return 2;
}

void rt_open_patterns(lua_State *state) {
    static const luaL_Reg functions[] = {
        { "find", pattern_find }, { "match", pattern_match }, { "gmatch", pattern_gmatch }, { "gsub", pattern_gsub }, { NULL, NULL },
    };
    lua_getglobal(state, LUA_STRLIBNAME);
    luaL_setfuncs(state, functions, 0);
    lua_pop(state, 1);
}
