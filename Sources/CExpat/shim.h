#ifndef RENDERTRACKER_CEXPAT_SHIM_H
#define RENDERTRACKER_CEXPAT_SHIM_H

// Debian's libexpat1-dev; XML_Char stays `char` (UTF-8), which the Swift decoder relies on.
#include <expat.h>

#endif
