import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * podman as root on this kind of machine, with the two settings it needs here (measured): crun
 * refuses the machine's mixed cgroup v1/v2 mounts ("cgroups in hybrid mode not supported"), so the
 * runtime is runc with cgroupfs; and the container may not raise its rlimits (setrlimit
 * RLIMIT_NOFILE/RLIMIT_NPROC: operation not permitted), so containers.conf sets no default ulimits.
 */
const settings = mkdtempSync(join(tmpdir(), 'linkboard-podman-'));
const containersConf = join(settings, 'containers.conf');
writeFileSync(containersConf, '[containers]\ndefault_ulimits = []\n');
export const PODMAN_GLOBAL_ARGS = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs'];
export const podmanEnvironment = { ...process.env, CONTAINERS_CONF: containersConf };

export function podman(args: string[], timeoutMs = 60_000): SpawnSyncReturns<string> {
  return spawnSync('podman', [...PODMAN_GLOBAL_ARGS, ...args], {
    encoding: 'utf8',
    env: podmanEnvironment,
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs podman and returns its stdout, or throws with its stderr's end. */
export function podmanOk(args: string[], timeoutMs?: number): string {
  const run = podman(args, timeoutMs);
  if (run.status !== 0) {
    const said = `${run.error?.message ?? ''} ${run.stderr.slice(-3_000)}`.trim();
    throw new Error(`podman ${args.slice(0, 2).join(' ')} failed (${String(run.status)}): ${said}`);
  }
  return run.stdout;
}

/** Whether a program is on PATH. */
export function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0;
}

/**
 * A stand-in for the official `node:24-bookworm-slim` image, which cannot be pulled here (only the
 * npm registry and Debian's archive are reachable): Debian bookworm (debootstrap, minimal variant),
 * this test's own Node 24 binary and npm, at the paths the official image uses.
 */
export function ensureNodeBaseImage(tag: string): void {
  if (podman(['image', 'exists', tag]).status === 0) return;
  const rootfs = mkdtempSync(join(tmpdir(), 'linkboard-node-base-'));
  try {
    const debootstrap = spawnSync('debootstrap', ['--variant=minbase', 'bookworm', rootfs], {
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (debootstrap.status !== 0) {
      throw new Error(`debootstrap failed: ${debootstrap.stderr.slice(-2_000)}`);
    }
    for (const cache of ['var/cache/apt', 'var/lib/apt/lists']) {
      rmSync(join(rootfs, cache), { recursive: true, force: true });
      mkdirSync(join(rootfs, cache), { recursive: true });
    }
    cpSync(process.execPath, join(rootfs, 'usr/local/bin/node'));
    const npmCli = realpathSync(
      spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim(),
    );
    const npmPackage = dirname(dirname(npmCli));
    cpSync(npmPackage, join(rootfs, 'usr/local/lib/node_modules/npm'), { recursive: true });
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/local/bin/npx'));
    const archive = join(settings, 'node-base.tar');
    const tar = spawnSync('tar', ['-C', rootfs, '-cf', archive, '.'], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    podmanOk(
      [
        'import',
        '--change',
        'ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        '--change',
        'CMD=["node"]',
        archive,
        tag,
      ],
      300_000,
    );
    rmSync(archive, { force: true });
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}
