import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { plain, TermClient } from '../src/index.ts';

// A real WebSocket server that plays booterm's side of the terminal socket.
let wss: WebSocketServer;
let url: string;
let onConnection: (ws: WebSocket) => void = () => {};
beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws) => onConnection(ws));
  await new Promise((r) => wss.once('listening', r));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((r) => wss.close(r)));

/** The frames the client sends, as JSON. */
function received(ws: WebSocket): unknown[] {
  const got: unknown[] = [];
  ws.on('message', (data: Buffer) => got.push(JSON.parse(String(data))));
  return got;
}

describe('the terminal test client', () => {
  it('decodes output as one stream, a character cut between frames included', async () => {
    onConnection = (ws) => {
      const smile = Buffer.from('😀 ok\r\n');
      ws.send(Buffer.from('scroll\r\n'), { binary: true });
      ws.send(JSON.stringify({ type: 'terminal.replayed', bytes: 8 }));
      ws.send(smile.subarray(0, 2), { binary: true });
      ws.send(smile.subarray(2), { binary: true });
    };
    const c = await TermClient.open(url);
    await c.waitForText('ok');
    expect(c.text).toBe('scroll\r\n😀 ok\r\n');
    expect(c.controls).toEqual([{ type: 'terminal.replayed', bytes: 8 }]);
    expect(c.parts()).toEqual({ replay: 'scroll\r\n', live: '😀 ok\r\n' });
    await c.close();
  });

  it('acks every frame, or every ackBytes, or only when told', async () => {
    let server!: WebSocket;
    let got: unknown[] = [];
    const connected = () =>
      new Promise<void>((resolve) => {
        onConnection = (ws) => {
          server = ws;
          got = received(ws);
          resolve();
        };
      });
    const frames = async (c: TermClient, sizes: number[]) => {
      for (const n of sizes) server.send(Buffer.alloc(n, 0x61), { binary: true });
      const total = c.bytes + sizes.reduce((a, b) => a + b, 0);
      await c.until(() => c.bytes === total);
    };

    let ready = connected();
    const each = await TermClient.open(url);
    await ready;
    await frames(each, [3, 4]);
    each.type('x');
    await expect.poll(() => got.length).toBe(3);
    expect(got).toEqual([
      { type: 'terminal.ack', bytes: 3 },
      { type: 'terminal.ack', bytes: 4 },
      { type: 'terminal.input', data: 'x\r' },
    ]);
    await each.close();

    ready = connected();
    const batched = await TermClient.open(url, { ackBytes: 10 });
    await ready;
    await frames(batched, [4, 4, 4, 4]);
    batched.type('y');
    await expect.poll(() => got.length).toBe(2);
    expect(got).toEqual([
      { type: 'terminal.ack', bytes: 12 },
      { type: 'terminal.input', data: 'y\r' },
    ]);
    await batched.close();

    ready = connected();
    const held = await TermClient.open(url, { ack: false });
    await ready;
    await frames(held, [5, 6]);
    held.ackAll();
    await expect.poll(() => got.length).toBe(1);
    expect(got).toEqual([{ type: 'terminal.ack', bytes: 11 }]);
    await held.close();
  });

  it('fails a wait when the socket closes first, with what came', async () => {
    onConnection = (ws) => {
      ws.send(Buffer.from('\x1b[1mbye\x1b[0m'), { binary: true });
      ws.close(4404, 'gone');
    };
    const c = await TermClient.open(url);
    await expect(c.waitForText('never')).rejects.toThrow(
      /socket closed before "never"; got: .*bye/,
    );
    expect(await c.closed).toEqual({ code: 4404 });
    expect(plain(c.text)).toBe('\nbye\n');
  });

  it('refuses an upgrade the server answers with an HTTP status', async () => {
    const refusing = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      verifyClient: (_info, cb) => cb(false, 403),
    });
    await new Promise((r) => refusing.once('listening', r));
    const port = (refusing.address() as AddressInfo).port;
    await expect(TermClient.open(`ws://127.0.0.1:${port}/`)).rejects.toThrow('HTTP 403');
    await new Promise((r) => refusing.close(r));
  });
});
