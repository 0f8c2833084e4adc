/** A tiny path router for Discord-style routes (`/channels/:channel/messages/:message`). */
import type { StandInState } from './state.js';
import type { Json } from './util.js';

export interface UploadedFile {
  key: string;
  filename: string;
  size: number;
  contentType?: string;
}

export interface RouteContext {
  method: string;
  /** Decoded path after the `/api/v10` prefix. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
  files: UploadedFile[];
  state: StandInState;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export type RouteHandler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

export interface Route {
  method: string;
  pattern: string;
  segments: string[];
  /** Needs `Authorization: Bot <token>` (false for webhook/interaction routes). */
  auth: boolean;
  handler: RouteHandler;
}

export function route(method: string, pattern: string, handler: RouteHandler, auth = true): Route {
  return { method, pattern, segments: pattern.split('/').filter(Boolean), auth, handler };
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

export function matchRoute(routes: Route[], method: string, path: string): RouteMatch {
  const parts = path.split('/').filter(Boolean);
  let pathMatched = false;
  for (const r of routes) {
    if (r.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (const [i, seg] of r.segments.entries()) {
      const part = parts[i] as string;
      if (seg.startsWith(':')) params[seg.slice(1)] = part;
      else if (seg !== part) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    pathMatched = true;
    if (r.method === method) return { kind: 'found', route: r, params };
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}
