/* Private: an open-addressing hash map from byte strings to 32-bit values.
 * Keys are copied into an arena owned by the map; insertion order is kept so
 * iteration is deterministic. */
#ifndef ENT_STRMAP_H
#define ENT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ent_strmap ent_strmap;

ent_strmap *ent_strmap_new(size_t expected);
void ent_strmap_free(ent_strmap *map);
void ent_strmap_clear(ent_strmap *map);

/* Finds key; returns a pointer to its value, or NULL when absent. */
uint32_t *ent_strmap_find(const ent_strmap *map, const char *key, size_t len);
/* Finds or inserts key (value initialised to init); NULL when out of memory.
 * *inserted tells whether the key is new. */
uint32_t *ent_strmap_upsert(ent_strmap *map, const char *key, size_t len, uint32_t init,
			    int *inserted);

size_t ent_strmap_count(const ent_strmap *map);
/* The i-th key in insertion order (NUL-terminated, borrowed) and its value. */
const char *ent_strmap_key(const ent_strmap *map, size_t i, size_t *len);
uint32_t ent_strmap_value(const ent_strmap *map, size_t i);

#endif
