import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A minimal WebSocket server (RFC 6455: handshake, text frames, ping/pong, close) standing in for
 * Slack's Socket Mode endpoint, so the real @slack/socket-mode client can be driven in tests.
 */
export interface FakeSocketServer {
  url: string;
  /** Messages the client sent (acks with their payloads), parsed. */
  received: Array<Record<string, unknown>>;
  connected: Promise<void>;
  send(message: unknown): void;
  /** Resolves with the client's ack of this envelope. */
  ackOf(envelopeId: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 255]) : (() => {
    const b = Buffer.alloc(10);
    b[0] = 0x80 | opcode;
    b[1] = 127;
    b.writeBigUInt64BE(BigInt(len), 2);
    return b;
  })();
  return Buffer.concat([head, payload]);
}

export async function startFakeSocketServer(): Promise<FakeSocketServer> {
  const received: Array<Record<string, unknown>> = [];
  const waiters = new Map<string, (m: Record<string, unknown>) => void>();
  let socket: Duplex | null = null;
  let onConnect!: () => void;
  const connected = new Promise<void>((r) => (onConnect = r));
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, sock: Duplex) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
    sock.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
    socket = sock;
    let buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2) {
        const opcode = buffer[0]! & 0x0f;
        let len = buffer[1]! & 0x7f;
        let offset = 2;
        if (len === 126) {
          if (buffer.length < 4) return;
          len = buffer.readUInt16BE(2);
          offset = 4;
        } else if (len === 127) {
          if (buffer.length < 10) return;
          len = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        const masked = (buffer[1]! & 0x80) !== 0;
        const total = offset + (masked ? 4 : 0) + len;
        if (buffer.length < total) return;
        const mask = masked ? buffer.subarray(offset, offset + 4) : null;
        const payload = Buffer.from(buffer.subarray(total - len, total));
        if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
        buffer = buffer.subarray(total);
        if (opcode === 0x9) sock.write(frame(0xa, payload));
        else if (opcode === 0x8) sock.end(frame(0x8, Buffer.alloc(0)));
        else if (opcode === 0x1) {
          const message = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
          received.push(message);
          const id = String(message['envelope_id'] ?? '');
          waiters.get(id)?.(message);
        }
      }
    });
    sock.on('error', () => undefined);
    sock.write(frame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A1' } }))));
    onConnect();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/link`,
    received,
    connected,
    send(message) {
      socket?.write(frame(0x1, Buffer.from(JSON.stringify(message))));
    },
    ackOf(envelopeId) {
      const done = received.find((m) => m['envelope_id'] === envelopeId);
      if (done) return Promise.resolve(done);
      return new Promise((r) => waiters.set(envelopeId, r));
    },
    close() {
      socket?.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
