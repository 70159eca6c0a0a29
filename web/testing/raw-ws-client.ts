// A WebSocket client at the byte level, for tests of peers no browser would be: one that
// writes requests as fast as TCP takes them and never reads a byte of the replies.
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { connect } from 'node:net';

/** One masked text frame (clients must mask, RFC 6455 5.3). */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, 0x80 | length]) : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
  if (length > 0xffff) throw new Error('frame too long for this helper');
  const mask = randomBytes(4);
  const masked = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) masked[index] = (payload[index] as number) ^ (mask[index % 4] as number);
  return Buffer.concat([header, mask, masked]);
}

export interface RawWsConnection {
  socket: Socket;
  /** Resolves when the socket is gone (closed by the server, or an error). */
  gone: Promise<void>;
}

/** Opens `ws://host:port/path`, reads only the handshake response, then never reads again. */
export async function openNonReadingClient(port: number, path: string): Promise<RawWsConnection> {
  const socket = connect({ host: '127.0.0.1', port });
  const gone = new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve, reject) => {
    let response = '';
    const onData = (chunk: Buffer) => {
      response += chunk.toString('latin1');
      if (!response.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (response.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`handshake refused: ${response.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
  });
  return { socket, gone };
}

/** Writes `frame` whenever TCP takes more, until `until` resolves or the socket is gone; returns how many were written. */
export async function floodUntil(connection: RawWsConnection, frame: () => Buffer, until: Promise<unknown>): Promise<number> {
  let stop = false;
  void until.finally(() => (stop = true));
  void connection.gone.finally(() => (stop = true));
  let written = 0;
  while (!stop && !connection.socket.destroyed) {
    written += 1;
    if (written % 64 === 0) await new Promise((resolve) => setImmediate(resolve)); // let the timers run
    if (!connection.socket.write(frame())) {
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        connection.socket.once('drain', done);
        void until.finally(done);
        void connection.gone.finally(done);
      });
    }
  }
  return written;
}
