import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { Agent, buildConnector, type Dispatcher } from 'undici';

export interface TlsFront {
  /** `https://localhost:PORT`: the public origin callers use. */
  url: string;
  /** Reaches `localhost` on this front over TLS with its own certificate, and nothing else. */
  dispatcher: Dispatcher;
  /** Where requests go on to (the broker), set once it listens. */
  target: string | undefined;
  close(): Promise<void>;
}

/**
 * A TLS-terminating proxy on loopback in front of the broker, as a load balancer would be: the
 * Graph client attaches the token and follows `@odata.nextLink` only on https URLs.
 */
export async function startTlsFront(): Promise<TlsFront> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  });
  const front: TlsFront = {
    url: '',
    dispatcher: undefined as unknown as Dispatcher,
    target: undefined,
    close: async () => {},
  };
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    if (!front.target) {
      res.writeHead(502).end();
      return;
    }
    const target = new URL(front.target);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const connect = buildConnector({ ca: pems.cert });
  const agent = new Agent({
    connect(options, callback) {
      if (options.hostname !== 'localhost') {
        callback(new Error(`no route to ${options.hostname} in this test`), null);
        return;
      }
      connect(
        { ...options, hostname: '127.0.0.1', port: String(port), servername: 'localhost' },
        callback,
      );
    },
  });
  front.url = `https://localhost:${port}`;
  front.dispatcher = agent;
  front.close = async () => {
    await agent.close();
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  };
  return front;
}
