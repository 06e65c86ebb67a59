/* rdf.h: kept only so that files written against the old layout still
 * build (jsonld.c, jsonld_contexts.c, tests/unit/test_jsonld.c); what it
 * declared is in harvesters-private.h.  Include that instead. */
#include "harvesters-private.h"
