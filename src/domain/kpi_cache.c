/* kpi_cache.c - see kpi_cache.h. */
#include "kpi_cache.h"

static bool cache_on = true;
void kpi_cache_set(bool on) { cache_on = on; }
bool kpi_cache_on(void) { return cache_on; }
