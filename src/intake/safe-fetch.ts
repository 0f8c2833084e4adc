import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { isPublicAddress } from './address-policy.js';

/** Limits every outgoing request obeys. */
export interface FetchPolicy {
  /** Whole request, connection to last byte. */
  timeoutMs: number;
  /** Largest body accepted, counted while it streams in (after decompression). */
  maxBytes: number;
  maxRedirects: number;
  /** Allow loopback and private addresses (FEEDS_ALLOW_PRIVATE=1; tests use 127.0.0.1). */
  allowPrivate: boolean;
  userAgent: string;
}

export type FetchErrorKind =
  | 'url'
  | 'blocked'
  | 'dns'
  | 'network'
  | 'timeout'
  | 'too-large'
  | 'redirect'
  | 'http';

/** Why a fetch failed, worded for a log line or a person. */
export class FetchError extends Error {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly status?: number,
    /** Seconds from a Retry-After header, when the server sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface FetchedResponse {
  /** 200-299, or 304 when the conditional request found nothing new. */
  status: number;
  /** After redirects. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FetchRequest {
  accept?: string;
  /** Conditional GET: sent as If-None-Match / If-Modified-Since. */
  etag?: string | null;
  lastModified?: string | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET with every safeguard a url from outside needs: http(s) only; the host resolved here and every
 * address checked (the connection is pinned to those addresses, so a second DNS answer cannot swap in a
 * private one); redirects followed by hand, each re-checked, capped, loops refused; one deadline for the
 * whole exchange; the body counted while it streams and cut off at the limit (a 50 MB body is never held).
 */
export async function safeFetch(
  rawUrl: string,
  policy: FetchPolicy,
  request: FetchRequest = {},
): Promise<FetchedResponse> {
  const deadline = Date.now() + policy.timeoutMs;
  const visited = new Set<string>();
  let url = parseHttpUrl(rawUrl);
  for (let hop = 0; ; hop++) {
    visited.add(url.href);
    const response = await requestOnce(url, policy, request, deadline);
    if (!REDIRECTS.has(response.status)) return response;
    const location = response.headers.location;
    if (!location) throw new FetchError('redirect', `HTTP ${response.status} redirect without a Location`);
    const next = parseHttpUrl(location, url);
    if (visited.has(next.href)) throw new FetchError('redirect', `redirect loop at ${next.href}`);
    if (hop + 1 > policy.maxRedirects)
      throw new FetchError('redirect', `more than ${policy.maxRedirects} redirects`);
    url = next;
  }
}

/** An absolute http(s) URL, or a FetchError saying why not. */
export function parseHttpUrl(value: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(value.trim(), base);
  } catch {
    throw new FetchError('url', `"${value}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchError('url', `only http and https links are fetched (got ${url.protocol})`);
  if (url.username || url.password)
    throw new FetchError('url', 'links with a user name or password are not fetched');
  url.hash = '';
  return url;
}

/** Every address the host resolves to, each checked against the policy. */
export async function resolveAllowed(hostname: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  const addresses: LookupAddress[] = family
    ? [{ address: host, family }]
    : await new Promise((resolve, reject) =>
        dnsLookup(host, { all: true, verbatim: true }, (error, found) =>
          error
            ? reject(new FetchError('dns', `${host} could not be resolved (${error.code})`))
            : resolve(found),
        ),
      );
  if (addresses.length === 0) throw new FetchError('dns', `${host} has no address`);
  if (!allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused)
      throw new FetchError(
        'blocked',
        `${host} resolves to ${refused.address}, a loopback, private or reserved address: not fetched (for an intranet feed or page, set FEEDS_ALLOW_PRIVATE=1)`,
      );
  }
  return addresses;
}

async function requestOnce(
  url: URL,
  policy: FetchPolicy,
  request: FetchRequest,
  deadline: number,
): Promise<FetchedResponse> {
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw timeoutError(policy);
  const addresses = await resolveAllowed(url.hostname, policy.allowPrivate);
  const headers: Record<string, string> = {
    'user-agent': policy.userAgent,
    accept: request.accept ?? '*/*',
    'accept-encoding': 'gzip, deflate, br',
  };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  const client = url.protocol === 'https:' ? https : http;

  return new Promise<FetchedResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const req = client.request(
      url,
      {
        method: 'GET',
        headers,
        // Connect only to the addresses checked above.
        lookup: (_host, options, callback) => {
          const cb = callback as (...args: unknown[]) => void;
          if ((options as { all?: boolean }).all) cb(null, addresses);
          else cb(null, addresses[0]?.address, addresses[0]?.family);
        },
      },
      (response) => {
        readBody(response, policy.maxBytes).then(
          (body) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const status = response.statusCode ?? 0;
            if (status >= 400) {
              reject(
                new FetchError(
                  'http',
                  `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
                  status,
                  retryAfter(response.headers['retry-after']),
                ),
              );
              return;
            }
            resolve({ status, url: url.href, headers: response.headers, body });
          },
          (error: Error) => fail(error),
        );
      },
    );
    const timer = setTimeout(() => fail(timeoutError(policy)), remaining);
    req.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        error instanceof FetchError
          ? error
          : new FetchError('network', `${url.host} could not be reached (${error.code ?? error.message})`),
      ),
    );
    req.end();
  });
}

function timeoutError(policy: FetchPolicy): FetchError {
  return new FetchError('timeout', `no complete answer within ${Math.round(policy.timeoutMs / 1000)} s`);
}

/** The body, decompressed, refused as soon as it passes `maxBytes` (announced or counted). */
function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new FetchError('too-large', `the response is larger than ${formatMb(maxBytes)}; it was not read`);
  const announced = Number(response.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge());
  }
  const encoding = String(response.headers['content-encoding'] ?? '')
    .toLowerCase()
    .trim();
  let stream: Readable = response;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') stream = response.pipe(zlib.createInflate());
  else if (encoding === 'br') stream = response.pipe(zlib.createBrotliDecompress());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const stop = (error: Error) => {
      if (done) return;
      done = true;
      reject(error);
      response.destroy();
      if (stream !== response) stream.destroy();
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) stop(tooLarge());
      else chunks.push(chunk);
    });
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    stream.on('error', (error) =>
      stop(new FetchError('network', `the response could not be read (${error.message})`)),
    );
    response.on('aborted', () => stop(new FetchError('network', 'the server closed the connection early')));
  });
}

function retryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

export function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}
