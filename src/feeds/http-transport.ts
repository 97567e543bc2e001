// One HTTP GET, no redirects followed, body as a stream: either node:http(s) (the default, which re-checks
// every address at connection time so a DNS answer that changes between check and connect is still
// refused) or any fetch() implementation (checked once, before the request).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import { isPrivateAddress } from "./address-policy";

export interface HopResponse {
  status: number;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. */
  discard(): void;
}

export type Transport = (url: URL, headers: Record<string, string>, signal: AbortSignal) => Promise<HopResponse>;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A connect-time lookup that fails when any address of the host is private. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 4);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad || addresses.length === 0) {
      const refused = Object.assign(new Error(`refused: ${hostname} resolves to the private or local address ${bad?.address}`), {
        code: "EPRIVATEADDRESS",
      });
      return callback(refused, "", 4);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

function decompressor(encoding: string): Transform | null | "unsupported" {
  switch (encoding) {
    case "":
    case "identity":
      return null;
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return zlib.createInflate();
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return "unsupported";
  }
}

export function nodeTransport(options: { allowPrivate: boolean }): Transport {
  return (url, headers, signal) =>
    new Promise((resolve, reject) => {
      const client = url.protocol === "https:" ? https : http;
      const request = client.request(
        url,
        {
          method: "GET",
          headers: { ...headers, "accept-encoding": "gzip, deflate, br" },
          lookup: options.allowPrivate ? undefined : publicOnlyLookup,
        },
        (response) => {
          const encoding = String(response.headers["content-encoding"] ?? "").trim().toLowerCase();
          const inflate = decompressor(encoding);
          if (inflate === "unsupported") {
            response.destroy();
            return reject(new Error(`unsupported content-encoding "${encoding.slice(0, 20)}"`));
          }
          const body: Readable = inflate ? response.pipe(inflate) : response;
          // pipe() does not forward errors: a connection cut mid-body must still end the read with an error.
          if (inflate) response.on("error", (e) => inflate.destroy(e));
          const stop = () => {
            body.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
            response.destroy();
          };
          signal.addEventListener("abort", stop, { once: true });
          body.once("close", () => signal.removeEventListener("abort", stop));
          resolve({
            status: response.statusCode ?? 0,
            header: (name) => {
              const value = response.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
            },
            body,
            discard: () => {
              body.destroy();
              response.destroy();
            },
          });
        },
      );
      const abort = () => request.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      if (signal.aborted) abort();
      signal.addEventListener("abort", abort, { once: true });
      request.once("close", () => signal.removeEventListener("abort", abort));
      request.once("error", reject);
      request.end();
    });
}

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
