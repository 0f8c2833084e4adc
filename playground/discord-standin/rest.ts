/**
 * The REST side: `/api[/vN]/...` parsing (decoded paths, JSON or multipart bodies), bot auth,
 * rate-limit headers, injected faults, routing and the request log.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchRoute, type Route, type UploadedFile } from './router.js';
import type { Fault, StandInState } from './state.js';
import { ApiError, errors } from './util.js';

interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
    const files: UploadedFile[] = [];
    let body: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        if (key === 'payload_json') body = { ...body, ...JSON.parse(value) };
        else body[key] = value;
      } else {
        files.push({
          key,
          filename: value.name,
          size: value.size,
          ...(value.type ? { contentType: value.type } : {}),
        });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

function bucketOf(method: string, pattern: string): string {
  return createHash('sha1').update(`${method} ${pattern}`).digest('hex').slice(0, 32);
}

function rateLimitHeaders(bucket: string, remaining = 49, resetAfter = 1): Record<string, string> {
  return {
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': resetAfter.toFixed(3),
    'x-ratelimit-bucket': bucket,
  };
}

function takeFault(state: StandInState, method: string, path: string): Fault | undefined {
  const index = state.faults.findIndex(
    (f) => (!f.method || f.method.toUpperCase() === method) && f.path.test(path),
  );
  const fault = index === -1 ? undefined : state.faults[index];
  if (fault && --fault.times <= 0) state.faults.splice(index, 1);
  return fault;
}

interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  headers: Record<string, string>;
}

function faultReply(fault: Fault, bucket: string): Reply {
  if (fault.status === 429) {
    const headers: Record<string, string> = {
      'retry-after': String(fault.retryAfterSeconds),
      'x-ratelimit-scope': fault.global ? 'global' : 'user',
      ...(fault.global
        ? { 'x-ratelimit-global': 'true' }
        : rateLimitHeaders(bucket, 0, fault.retryAfterSeconds)),
    };
    return {
      status: 429,
      headers,
      body: {
        message: 'You are being rate limited.',
        retry_after: fault.retryAfterSeconds,
        global: fault.global,
        ...(fault.global ? { code: 0 } : {}),
      },
    };
  }
  if (fault.status === 500)
    return { status: 500, headers: {}, body: { message: '500: Internal Server Error', code: 0 } };
  const text =
    fault.status === 502 ? '502 Bad Gateway' : 'upstream connect error or disconnect/reset before headers';
  return { status: fault.status, headers: {}, text };
}

export function createRestHandler(state: StandInState, routes: Route[]) {
  const handle = async (
    req: IncomingMessage,
    raw: Buffer,
  ): Promise<Reply & { path: string; query: string; logBody: unknown }> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let decoded = url.pathname;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {}
    const prefix = /^\/api(?:\/v(\d+))?(?=\/|$)/.exec(decoded);
    const path = prefix ? decoded.slice(prefix[0].length) || '/' : decoded;
    const query = url.search.replace(/^\?/, '');
    const base = { path, query, logBody: undefined as unknown };
    let parsed: ParsedBody;
    try {
      parsed = await parseBody(raw, String(req.headers['content-type'] ?? ''));
    } catch {
      return {
        ...base,
        status: 400,
        headers: {},
        body: { message: 'The request body contains invalid JSON.', code: 50109 },
      };
    }
    base.logBody = parsed.files.length ? { ...(parsed.body as object), files: parsed.files } : parsed.body;
    if (!prefix) return { ...base, status: 404, headers: {}, body: errors.notFound().body };
    if (prefix[1] !== undefined && prefix[1] !== '10' && prefix[1] !== '9') {
      return { ...base, status: 400, headers: {}, body: { message: 'Invalid API version', code: 50041 } };
    }
    const match = matchRoute(routes, method, path);
    const bucket = bucketOf(method, match.kind === 'found' ? match.route.pattern : path);
    const fault = takeFault(state, method, path);
    if (fault) return { ...base, ...faultReply(fault, bucket) };
    if (match.kind !== 'found') {
      const err = match.kind === 'not-found' ? errors.notFound() : errors.methodNotAllowed();
      return { ...base, status: err.status, headers: {}, body: err.body };
    }
    const headers = rateLimitHeaders(bucket);
    if (match.route.auth && req.headers.authorization !== `Bot ${state.token}`) {
      const err = errors.unauthorized();
      return { ...base, status: err.status, headers: {}, body: err.body };
    }
    try {
      const result = await match.route.handler({
        method,
        path,
        params: match.params,
        query: url.searchParams,
        body: parsed.body,
        files: parsed.files,
        state,
      });
      return { ...base, status: result.status, headers, body: result.body };
    } catch (error) {
      if (error instanceof ApiError)
        return { ...base, status: error.status, headers: { ...headers, ...error.headers }, body: error.body };
      console.error('[discord stand-in] route crashed:', error);
      return { ...base, status: 500, headers: {}, body: { message: '500: Internal Server Error', code: 0 } };
    }
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    const at = state.now();
    readBody(req)
      .then((raw) => handle(req, raw))
      .then((reply) => {
        const headers: Record<string, string> = { ...reply.headers };
        let payload: string | undefined;
        if (reply.body !== undefined && reply.status !== 204) {
          payload = JSON.stringify(reply.body);
          headers['content-type'] = 'application/json';
        } else if (reply.text !== undefined) {
          payload = reply.text;
          headers['content-type'] = 'text/plain';
        }
        res.writeHead(reply.status, headers);
        res.end(payload);
        state.requests.push({
          method: (req.method ?? 'GET').toUpperCase(),
          path: reply.path,
          query: reply.query,
          body: reply.logBody,
          status: reply.status,
          at,
        });
        state.notify();
      })
      .catch((error) => {
        console.error('[discord stand-in] request failed:', error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  };
}
