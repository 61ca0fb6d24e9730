import { Writable } from 'node:stream';
import { loadConfig, startBroker } from '@linkboard/broker';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { startSandbox, type RunningSandbox, type SandboxInfo } from '@linkboard/sandbox';

/** The broker's log lines of a run, kept in memory (shown when a journey fails, never on stdout). */
export class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

export interface Stack {
  sandbox: RunningSandbox;
  info: SandboxInfo;
  /** Fixed for the run: the broker comes back on the same port after `stopBroker()`. */
  brokerUrl: string;
  brokerLog: LogLines;
  stopBroker(): Promise<void>;
  restartBroker(): Promise<void>;
  /**
   * Another broker on the same sandbox with `TOKEN_SOURCE=token-vault` and only the Token Vault
   * client's credentials (no Management API settings), logging to the same lines; closed with the
   * stack if not before.
   */
  startVaultBroker(): Promise<{ url: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

/**
 * The sandbox tenant and a real broker pointed at it, both on loopback, started in this process
 * (`npm run dev:stack` does the same in its own).
 */
export async function startStack(): Promise<Stack> {
  const sandbox = await startSandbox({ port: 0 });
  const brokerLog = new LogLines();
  let port = 0;
  let broker: { url: string; close(): Promise<void> } | null = null;

  async function start(): Promise<string> {
    const config = loadConfig(
      brokerEnvFromSandbox(sandbox.info, { PORT: String(port), LOG_LEVEL: 'info' }),
    );
    const started = await startBroker(config, { logDestination: brokerLog });
    broker = started;
    port = Number(new URL(started.url).port);
    return started.url;
  }

  const vaultBrokers: Array<{ close(): Promise<void> }> = [];

  let brokerUrl: string;
  try {
    brokerUrl = await start();
  } catch (error) {
    await sandbox.close();
    throw error;
  }

  return {
    sandbox,
    info: sandbox.info,
    brokerUrl,
    brokerLog,
    async stopBroker() {
      const running = broker;
      broker = null;
      await running?.close();
    },
    async restartBroker() {
      if (broker) return;
      await start();
    },
    async startVaultBroker() {
      const env = brokerEnvFromSandbox(sandbox.info, {
        LOG_LEVEL: 'info',
        TOKEN_SOURCE: 'token-vault',
      });
      const started = await startBroker(loadConfig(env), { logDestination: brokerLog });
      let closed: Promise<void> | null = null;
      const handle = { url: started.url, close: () => (closed ??= started.close()) };
      vaultBrokers.push(handle);
      return handle;
    },
    async close() {
      const running = broker;
      broker = null;
      await Promise.allSettled([
        running?.close(),
        ...vaultBrokers.map((vault) => vault.close()),
        sandbox.close(),
      ]);
    },
  };
}
