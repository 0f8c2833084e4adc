import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  url(path: string): string;
  /** Sets (or replaces) what a path answers. */
  route(path: string, handler: Route): void;
  /** Every request received, in order. */
  requests: Array<{ path: string; headers: IncomingMessage['headers'] }>;
  requestsTo(path: string): Array<{ path: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 serving whatever the test routes; unknown paths are 404. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route>();
  const requests: FeedServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path) => `${base}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a body with a content type, honouring If-None-Match against the given ETag. */
export function serve(body: string | Buffer, type: string, etag?: string): Route {
  return (req, res) => {
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, ...(etag ? { etag } : {}) }).end(body);
  };
}

/** Serves a body with a Last-Modified date, answering 304 to a request that sends it back (no ETag). */
export function serveDated(body: string, type: string, lastModified: string): Route {
  return (req, res) => {
    if (req.headers['if-modified-since'] === lastModified) {
      res.writeHead(304, { 'last-modified': lastModified }).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, 'last-modified': lastModified }).end(body);
  };
}

export const status =
  (code: number, headers: Record<string, string> = {}): Route =>
  (_req, res) =>
    void res.writeHead(code, headers).end(`status ${code}`);

/** Answers nothing, ever (until the server closes). */
export const never: Route = () => {};

/** Streams `megabytes` of data in 64 KB chunks, as fast as the client reads, without a Content-Length. */
export function huge(megabytes: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let left = Math.ceil((megabytes * 1024 * 1024) / chunk.length);
    const pump = () => {
      while (left > 0) {
        left--;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => {
      left = 0;
    });
    pump();
  };
}
