// Values a running service keeps for a few minutes instead of asking the database on every page view:
// the countries on offer, a country page. Kept per `config` object, which is made once per process on
// Node and once per isolate on Workers (where deps and the database client are rebuilt for every
// request), so each test app has its own. Only settled values are kept, never a pending promise: on
// Workers a promise begun in one request must not be awaited by another.
const stores = new WeakMap<object, Map<string, { until: number; value: unknown }>>();

/** At most this many entries per owner; keys come from a closed set (country codes), this is a backstop. */
const MAX_ENTRIES = 1000;

export async function remember<T>(owner: object, key: string, now: Date, ttlMs: number, compute: () => Promise<T>): Promise<T> {
  let store = stores.get(owner);
  const hit = store?.get(key);
  if (hit && hit.until > now.getTime()) return hit.value as T;
  const value = await compute();
  if (!store) stores.set(owner, (store = new Map()));
  if (store.size >= MAX_ENTRIES && !store.has(key)) store.clear();
  store.set(key, { until: now.getTime() + ttlMs, value });
  return value;
}

/** Forgets every entry whose key starts with `prefix` (after a change the reader should see at once). */
export function forget(owner: object, prefix: string): void {
  const store = stores.get(owner);
  if (!store) return;
  for (const key of [...store.keys()]) if (key.startsWith(prefix)) store.delete(key);
}
