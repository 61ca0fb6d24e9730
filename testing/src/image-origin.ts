import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import { generate } from 'selfsigned';
import { Agent, buildConnector } from 'undici';

/** What the stand-in answers for one path: status, headers and body, as a provider would. */
export interface ImageAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: Uint8Array | string;
}

export interface ImageOrigin {
  /**
   * A `fetch` that reaches these hostnames (`https://avatars.githubusercontent.com/…`, port 443)
   * on this loopback server over real TLS with the server's own certificate, and reaches nothing
   * else: what the machine's network would be if only that origin existed.
   */
  fetch: (input: URL | Request | string, init?: RequestInit) => Promise<Response>;
  /** Every request path (with its query) the server was asked for, in order. */
  requests: string[];
  /**
   * Sets the answer for a path (with its query), or for every path a test accepts; the first set
   * that matches answers, and unknown paths get 404.
   */
  answer(path: string | ((path: string) => boolean), answer: ImageAnswer): void;
  close(): Promise<void>;
}

/**
 * A stand-in for a provider's public image origins (GitHub's `avatars.githubusercontent.com`,
 * Google's `lh3.googleusercontent.com`): an HTTPS server on 127.0.0.1 with a certificate for
 * those names, which tests reach through the `fetch` it gives instead of the internet.
 */
export async function startImageOrigin(hostnames: readonly string[]): Promise<ImageOrigin> {
  const pems = await generate([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }], {
    keySize: 2048,
    extensions: [
      { name: 'subjectAltName', altNames: hostnames.map((value) => ({ type: 2, value })) },
    ],
  });
  const answers: Array<{ matches: (path: string) => boolean; answer: ImageAnswer }> = [];
  const requests: string[] = [];
  const server: Server = createServer(
    { key: pems.private, cert: pems.cert },
    (request, response) => {
      const path = request.url ?? '/';
      requests.push(path);
      const answer = answers.find((entry) => entry.matches(path))?.answer;
      if (!answer) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      response.writeHead(answer.status ?? 200, answer.headers ?? {}).end(answer.body);
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const connect = buildConnector({ ca: pems.cert });
  const agent = new Agent({
    connect(options, callback) {
      if (!hostnames.includes(options.hostname)) {
        callback(new Error(`no route to ${options.hostname} in this test`), null);
        return;
      }
      connect(
        { ...options, hostname: '127.0.0.1', port: String(port), servername: options.hostname },
        callback,
      );
    },
  });
  return {
    // Node's fetch takes an undici dispatcher (a Node extension of RequestInit).
    fetch: (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit),
    requests,
    answer: (path, answer) =>
      void answers.push({
        matches: typeof path === 'string' ? (asked) => asked === path : path,
        answer,
      }),
    async close() {
      await agent.close();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A real PNG of `size`×`size` pixels of one colour, as a provider's avatar would be. */
export function solidPng(size: number, [red, green, blue]: [number, number, number]): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, no interlace
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array(size).fill([red, green, blue]).flat()),
  ]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(pixels)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}
