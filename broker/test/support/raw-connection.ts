import { connect, type Socket } from 'node:net';

/** A client socket to a broker, written by hand, that records what came back and when it closed. */
export interface RawConnection {
  socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Milliseconds from the connection's opening to its close by either side. */
  closed: Promise<number>;
  /** Whether the socket has closed. */
  isClosed(): boolean;
}

export async function openRaw(url: string, localAddress?: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect({
    host: hostname,
    port: Number(port),
    ...(localAddress ? { localAddress } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const opened = performance.now();
  let data = '';
  let isClosed = false;
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  // A reset or a write after the broker closed is how a close looks to a slow sender.
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve(performance.now() - opened);
    }),
  );
  return { socket, received: () => data, closed, isClosed: () => isClosed };
}

/** Writes `text` a few bytes at a time, every `everyMs`, until it is all sent or the socket closes. */
export async function trickle(
  connection: RawConnection,
  text: string,
  bytesPerWrite: number,
  everyMs: number,
): Promise<void> {
  for (let at = 0; at < text.length && !connection.isClosed(); at += bytesPerWrite) {
    connection.socket.write(text.slice(at, at + bytesPerWrite));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
