// One HTTP GET, no redirects followed, body as a stream. The shape every transport has, and the fetch()
// one (Workers; also usable on Node). The node:http(s) transport, which re-checks every address at
// connection time, is Node only: src/node/feed-transport.ts.

export interface HopResponse {
  status: number;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. */
  discard(): void;
}

export type Transport = (url: URL, headers: Record<string, string>, signal: AbortSignal) => Promise<HopResponse>;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

async function* chunksOf(stream: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * A transport over any fetch() (globalThis.fetch on Workers). Redirects are not followed (the caller
 * checks and counts them); the body arrives decompressed, so the size cap applies to what is parsed.
 */
export function fetchTransport(fetchImpl: FetchLike): Transport {
  return async (url, headers, signal) => {
    const response = await fetchImpl(url.href, { method: "GET", headers, redirect: "manual", signal });
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      body: chunksOf(response.body),
      discard: () => {
        response.body?.cancel().catch(() => {});
      },
    };
  };
}
