import { fileURLToPath } from 'node:url';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import type { SandboxInfo } from '@linkboard/sandbox';
import { spawnJsonLineProcess, type JsonLineProcess } from '@linkboard/testing/json-line-process';

const brokerDir = fileURLToPath(new URL('../..', import.meta.url));

/** One broker of a fleet: `npm run broker` as its own process. */
export interface FleetMember {
  url: string;
  process: JsonLineProcess<string>;
}

/**
 * `count` broker processes on the sandbox, each started as `npm run broker` does (its own Node
 * process, configuration from the environment), with `env` added to the sandbox's settings.
 */
export async function startBrokerProcesses(
  info: SandboxInfo,
  count: number,
  env: Record<string, string>,
): Promise<FleetMember[]> {
  const processes = Array.from({ length: count }, (_, index) =>
    spawnJsonLineProcess({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli.ts'],
      cwd: brokerDir,
      env: {
        PATH: process.env.PATH,
        ...brokerEnvFromSandbox(info, { LOG_LEVEL: 'warn' }),
        ...env,
      },
      parse: (json) => {
        const line = json as { brokerUrl?: unknown } | null;
        if (typeof line?.brokerUrl !== 'string') throw new Error('no brokerUrl');
        return line.brokerUrl;
      },
      stderr: 'pipe',
      timeoutMs: 60_000,
      name: `broker ${index + 1}`,
    }),
  );
  try {
    const lines = await Promise.all(processes.map((child) => child.started));
    return lines.map(({ value }, index) => ({ url: value, process: processes[index]! }));
  } catch (error) {
    await Promise.all(processes.map((child) => child.stop({ signal: 'SIGKILL' })));
    throw error;
  }
}

/** Stops every member (SIGTERM, then SIGKILL after a grace time). */
export async function stopFleet(fleet: readonly FleetMember[]): Promise<void> {
  await Promise.all(fleet.map((member) => member.process.stop({ graceMs: 20_000 })));
}
