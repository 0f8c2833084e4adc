/** One gateway socket: JSON text frames, or zlib-stream / per-payload zlib when the client asked for it. */
import { constants, createDeflate, type Deflate, deflateSync } from 'node:zlib';
import { type WebSocket, WebSocket as WS } from 'ws';

export interface Connection<S = unknown> {
  session?: S;
  lastHeartbeatAt?: number;
  heartbeatTimer?: NodeJS.Timeout;
  /** IDENTIFY `compress: true`: every payload is a separate zlib stream (binary frame). */
  payloadCompression: boolean;
  send(payload: unknown): void;
  close(code: number, reason: string): void;
  terminate(): void;
}

export function openConnection<S>(ws: WebSocket, zlibStream: boolean): Connection<S> {
  let deflate: Deflate | undefined;
  let chunks: Buffer[] = [];
  let chain: Promise<void> = Promise.resolve();
  if (zlibStream) {
    deflate = createDeflate();
    deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  }
  const conn: Connection<S> = {
    payloadCompression: false,
    send(payload) {
      if (ws.readyState !== WS.OPEN) return;
      const text = JSON.stringify(payload);
      if (deflate) {
        const d = deflate;
        // One shared zlib context; each payload ends with a Z_SYNC_FLUSH (00 00 ff ff) like Discord's.
        chain = chain.then(
          () =>
            new Promise<void>((resolve) => {
              d.write(text);
              d.flush(constants.Z_SYNC_FLUSH, () => {
                const out = Buffer.concat(chunks);
                chunks = [];
                if (ws.readyState === WS.OPEN) ws.send(out);
                resolve();
              });
            }),
        );
      } else if (conn.payloadCompression) {
        ws.send(deflateSync(text));
      } else {
        ws.send(text);
      }
    },
    close(code, reason) {
      if (ws.readyState === WS.OPEN || ws.readyState === WS.CONNECTING) ws.close(code, reason);
    },
    terminate() {
      ws.terminate();
      deflate?.destroy();
    },
  };
  ws.on('close', () => deflate?.destroy());
  return conn;
}
