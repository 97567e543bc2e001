// Node only: feed requests over node:http(s). Every connection re-checks the addresses it connects to
// (a DNS answer that changes between the policy check and the connection is still refused), and the
// system resolver feeds the policy check itself. The pure parts are src/feeds/http-transport.ts and
// src/feeds/address-policy.ts.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import { isPrivateAddress, type Resolver } from "../feeds/address-policy";
import type { Transport } from "../feeds/http-transport";

/** The system resolver (getaddrinfo, as the connection itself uses). */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** A connect-time lookup that fails when any address of the host is private. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 4);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad || addresses.length === 0) {
      // Without the address: the message ends up in GET /api/sources (see address-policy.ts).
      const refused = Object.assign(new Error(`refused: ${hostname} resolves to a private or local address`), {
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
          // A fresh connection per request. With the default keep-alive agent a pooled socket the server
          // has just closed is reused and the request fails with ECONNRESET; feeds are fetched once per
          // run, so pooling saves nothing worth that race.
          agent: false,
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
