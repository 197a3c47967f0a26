#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* A key and its value sit together in the arena, so a hit reads the slot and
 * one record, not a separate entry as well. Records are 4-byte aligned. */
typedef struct record {
	uint32_t value;
	uint32_t key_len;
	char key[]; /* key_len bytes and a NUL */
} record;

/* A slot carries the upper half of its key's hash, so a probe rejects most
 * non-matching keys without touching the record. */
typedef struct slot {
	uint32_t tag;
	uint32_t record; /* 0 = empty, else record offset / 4 + 1 */
} slot;

struct ent_strmap {
	uint32_t *order; /* record offset / 4 of each key, in insertion order */
	size_t count, order_cap;
	slot *slots;
	size_t slot_mask;
	char *arena;
	size_t arena_len, arena_cap;
};

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* The last n < 8 bytes as one word. Two overlapping reads (or three single
 * bytes) cover every byte for each n, so distinct tails of one length stay
 * distinct, without the byte loop that cost more than the rest of the hash
 * on typical words of 3 to 7 bytes. */
static uint64_t tail_bytes(const char *p, size_t n)
{
	if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, p, 4);
		memcpy(&hi, p + n - 4, 4);
		return (uint64_t)lo | (uint64_t)hi << 32;
	}
	if (n == 0)
		return 0;
	const unsigned char *u = (const unsigned char *)p;
	return (uint64_t)u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16;
}

static uint64_t hash_bytes(const char *data, size_t len)
{
	/* Eight bytes per multiply: terms are short, but a byte-at-a-time loop
	 * was the largest cost of classifying a sentence. */
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0x100000001b3ULL);
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, data + i, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	h = (h ^ tail_bytes(data + i, len - i)) * 0x94d049bb133111ebULL;
	return mix64(h);
}

static size_t round_pow2(size_t n)
{
	size_t p = 16;
	while (p < n)
		p <<= 1;
	return p;
}

ent_strmap *ent_strmap_new(size_t expected)
{
	ent_strmap *map = calloc(1, sizeof *map);
	if (map == NULL)
		return NULL;
	size_t slots = round_pow2(expected * 2 + 1);
	map->slots = calloc(slots, sizeof *map->slots);
	if (map->slots == NULL) {
		free(map);
		return NULL;
	}
	map->slot_mask = slots - 1;
	return map;
}

void ent_strmap_free(ent_strmap *map)
{
	if (map == NULL)
		return;
	free(map->order);
	free(map->slots);
	free(map->arena);
	free(map);
}

void ent_strmap_clear(ent_strmap *map)
{
	memset(map->slots, 0, (map->slot_mask + 1) * sizeof *map->slots);
	map->count = 0;
	map->arena_len = 0;
}

static record *record_at(const ent_strmap *map, uint32_t units)
{
	return (record *)(void *)(map->arena + (size_t)units * 4);
}

static uint32_t tag_of(uint64_t hash)
{
	return (uint32_t)(hash >> 32);
}

/* Inline: for the word lookups on every token, a call (saving registers
 * around the memcmp) cost as much as the probe itself. */
static inline size_t probe(const ent_strmap *map, const char *key, size_t len, uint64_t hash)
{
	size_t i = (size_t)hash & map->slot_mask;
	uint32_t tag = tag_of(hash);
	for (;;) {
		const slot *s = &map->slots[i];
		if (s->record == 0)
			return i;
		if (s->tag == tag) {
			const record *r = record_at(map, s->record - 1);
			if (r->key_len == len && memcmp(r->key, key, len) == 0)
				return i;
		}
		i = (i + 1) & map->slot_mask;
	}
}

uint32_t *ent_strmap_find(const ent_strmap *map, const char *key, size_t len)
{
	size_t i = probe(map, key, len, hash_bytes(key, len));
	uint32_t s = map->slots[i].record;
	return s == 0 ? NULL : &record_at(map, s - 1)->value;
}

static int grow_slots(ent_strmap *map)
{
	size_t slots = (map->slot_mask + 1) * 2;
	slot *fresh = calloc(slots, sizeof *fresh);
	if (fresh == NULL)
		return -1;
	free(map->slots);
	map->slots = fresh;
	map->slot_mask = slots - 1;
	for (size_t k = 0; k < map->count; k++) {
		const record *r = record_at(map, map->order[k]);
		uint64_t hash = hash_bytes(r->key, r->key_len);
		size_t i = (size_t)hash & map->slot_mask;
		while (map->slots[i].record != 0)
			i = (i + 1) & map->slot_mask;
		map->slots[i] = (slot){tag_of(hash), map->order[k] + 1};
	}
	return 0;
}

/* Appends a record for key; its offset / 4, or UINT32_MAX when out of room. */
static uint32_t add_record(ent_strmap *map, const char *key, size_t len, uint32_t value)
{
	size_t size = (sizeof(record) + len + 1 + 3) & ~(size_t)3;
	if (map->arena_len / 4 >= UINT32_MAX - 1 - size / 4 ||
	    ent_array_reserve((void **)&map->order, &map->order_cap, map->count + 1, sizeof *map->order) != 0 ||
	    ent_array_reserve((void **)&map->arena, &map->arena_cap, map->arena_len + size, 1) != 0)
		return UINT32_MAX;
	uint32_t units = (uint32_t)(map->arena_len / 4);
	record *r = record_at(map, units);
	r->value = value;
	r->key_len = (uint32_t)len;
	memcpy(r->key, key, len);
	memset(r->key + len, 0, size - sizeof(record) - len);
	map->arena_len += size;
	map->order[map->count++] = units;
	return units;
}

uint32_t *ent_strmap_upsert(ent_strmap *map, const char *key, size_t len, uint32_t init,
			    int *inserted)
{
	if (inserted)
		*inserted = 0;
	if (len > UINT32_MAX - 8 || map->count >= UINT32_MAX - 1)
		return NULL;
	if ((map->count + 1) * 2 > map->slot_mask + 1 && grow_slots(map) != 0)
		return NULL;
	uint64_t hash = hash_bytes(key, len);
	size_t i = probe(map, key, len, hash);
	if (map->slots[i].record != 0)
		return &record_at(map, map->slots[i].record - 1)->value;
	uint32_t units = add_record(map, key, len, init);
	if (units == UINT32_MAX)
		return NULL;
	map->slots[i] = (slot){tag_of(hash), units + 1};
	if (inserted)
		*inserted = 1;
	return &record_at(map, units)->value;
}

size_t ent_strmap_count(const ent_strmap *map)
{
	return map->count;
}

const char *ent_strmap_key(const ent_strmap *map, size_t i, size_t *len)
{
	const record *r = record_at(map, map->order[i]);
	if (len)
		*len = r->key_len;
	return r->key;
}

uint32_t ent_strmap_value(const ent_strmap *map, size_t i)
{
	return record_at(map, map->order[i])->value;
}
