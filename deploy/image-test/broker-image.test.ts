import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdentitiesResponse } from '@linkboard/contract';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { startSandbox, type RunningSandbox } from '@linkboard/sandbox';
import { freeLoopbackPort } from '@linkboard/testing/free-port';
import { signInHeadless } from '@linkboard/testing/headless-sign-in';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureNodeBaseImage,
  installed,
  podman,
  PODMAN_GLOBAL_ARGS,
  podmanEnvironment,
  podmanOk,
} from './podman.js';
import { BROKER_NODE_FLAGS } from '../../broker/production-bundle.js';
import { BrokerStartLine } from '../../broker/src/start-line.js';

// broker/Dockerfile built with podman (as `docker build` would), on a stand-in for the official
// Node 24 base image, and the image's entry point run against the sandbox tenant the way an
// operator runs it: read-only root file system, no capabilities, secrets as mounted files.
const root = fileURLToPath(new URL('../..', import.meta.url));
const BASE = 'localhost/linkboard-node-base:24';
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const IMAGE = 'localhost/linkboard-broker:test';
const missing = ['podman', 'runc', 'debootstrap'].filter((program) => !installed(program));
const reason = `${missing.join(', ')} not installed (.ci/run installs them)`;

let sandbox: RunningSandbox;
let secrets: string;

beforeAll(async () => {
  if (missing.length > 0) return;
  ensureNodeBaseImage(BASE);
  // Behind a TLS-inspecting proxy the build's npm needs the certificates this machine trusts.
  const cafile = trustedCertificates();
  podmanOk(
    [
      'build',
      '--format',
      'docker',
      '--network',
      'host',
      ...(cafile ? ['--secret', `id=npm_ca,src=${cafile}`] : []),
      '--build-arg',
      `NODE_IMAGE=${BASE}`,
      '-f',
      join(root, 'broker/Dockerfile'),
      '-t',
      IMAGE,
      root,
    ],
    900_000,
  );
  sandbox = await startSandbox({ port: 0 });
  secrets = mkdtempSync(join(tmpdir(), 'linkboard-broker-secrets-'));
}, 1_200_000);

afterAll(async () => {
  await sandbox?.close();
  if (secrets) rmSync(secrets, { recursive: true, force: true });
});

/**
 * The certificates this machine trusts beyond Node's own: NODE_EXTRA_CA_CERTS when set, else the
 * system bundle (where an inspecting proxy's CA is installed), or none.
 */
function trustedCertificates(): string | null {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra && existsSync(extra)) return extra;
  return existsSync(SYSTEM_CA_BUNDLE) ? SYSTEM_CA_BUNDLE : null;
}

/** A secret as the file an orchestrator mounts: readable by the image's user, not writable. */
function secretFile(name: string, value: string): string {
  const file = join(secrets, name);
  writeFileSync(file, value);
  chmodSync(file, 0o444);
  return file;
}

(missing.length > 0 ? describe.skip : describe)(
  `broker image${missing.length > 0 ? ` — skipped: ${reason}` : ''}`,
  () => {
    it('runs as a numeric non-root user, with a health check, and holds the bundle and the catalogue only', () => {
      const [config] = JSON.parse(podmanOk(['image', 'inspect', IMAGE])) as Array<{
        Config: { User?: string; Entrypoint?: string[] };
        Healthcheck?: { Test?: string[] };
      }>;
      expect(config?.Config.User).toBe('1000:1000');
      expect(config?.Config.Entrypoint).toEqual([
        'node',
        ...BROKER_NODE_FLAGS,
        '/app/dist/server/broker.mjs',
      ]);
      expect(config?.Healthcheck?.Test?.slice(0, 2)).toEqual(['CMD', 'node']);
      const listing = podmanOk([
        'run',
        '--rm',
        '--network',
        'none',
        '--entrypoint',
        'node',
        IMAGE,
        '-e',
        "const fs = require('node:fs'); console.log(JSON.stringify(fs.readdirSync('/app', { recursive: true }).sort()))",
      ]);
      expect(JSON.parse(listing)).toEqual([
        'catalogue',
        'catalogue/providers.json',
        'dist',
        'dist/server',
        'dist/server/broker.mjs',
        'dist/server/tracing-sdk.mjs',
      ]);
    });

    it('serves identities and a proxied call from a read-only container with secrets as files, answers its health check and stops on SIGTERM', async () => {
      const port = await freeLoopbackPort();
      const name = `linkboard-broker-test-${port}`;
      const {
        AUTH0_M2M_CLIENT_SECRET: m2mSecret,
        IDP_GOOGLE_OAUTH2_CLIENT_SECRET: googleSecret,
        ...settings
      } = brokerEnvFromSandbox(sandbox.info, {
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
      });
      const mounts = [
        ['auth0-m2m-client-secret', m2mSecret, 'AUTH0_M2M_CLIENT_SECRET_FILE'],
        ['google-client-secret', googleSecret, 'IDP_GOOGLE_OAUTH2_CLIENT_SECRET_FILE'],
      ] as const;
      const args = [
        ...PODMAN_GLOBAL_ARGS,
        'run',
        '--rm',
        '--name',
        name,
        '--read-only',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        // The sandbox listens on the host's loopback only.
        '--network',
        'host',
        ...Object.entries(settings).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
        ...mounts.flatMap(([file, value, variable]) => [
          '--volume',
          `${secretFile(file, value ?? '')}:/run/secrets/${file}:ro`,
          '--env',
          `${variable}=/run/secrets/${file}`,
        ]),
        IMAGE,
      ];
      const broker = spawnJsonLineProcess({
        command: 'podman',
        args,
        env: podmanEnvironment,
        parse: (json) => BrokerStartLine.parse(json).brokerUrl,
        stderr: 'pipe',
        timeoutMs: 60_000,
        name: 'the broker container',
      });
      try {
        const { value: brokerUrl } = await broker.started;
        expect(brokerUrl).toBe(`http://127.0.0.1:${port}`);

        const { access_token: accessToken } = await signInHeadless(sandbox.info, 'alice');
        const authorization = { authorization: `Bearer ${accessToken}` };
        const identities = await fetch(`${brokerUrl}/v1/me/identities`, { headers: authorization });
        expect(identities.status).toBe(200);
        const { identities: linked } = IdentitiesResponse.parse(await identities.json());
        expect(linked.find((identity) => identity.connection === 'github')?.status).toBe('ready');
        const repos = await fetch(`${brokerUrl}/v1/idp/github/user/repos?per_page=2`, {
          headers: authorization,
        });
        expect(repos.status).toBe(200);
        expect(((await repos.json()) as unknown[]).length).toBe(2);

        // The image's HEALTHCHECK, run by podman inside the container.
        expect(podman(['healthcheck', 'run', name]).status).toBe(0);
        // A read-only root: the process cannot write even where it runs.
        const write = podman([
          'exec',
          name,
          'node',
          '-e',
          "require('fs').writeFileSync('/app/x', '')",
        ]);
        expect(write.stderr).toMatch(/EROFS|read-only file system/i);

        expect(await broker.stop()).toEqual({ code: 0, signal: null });
      } finally {
        await broker.stop({ signal: 'SIGKILL' });
        podman(['rm', '--force', name]);
      }
    }, 120_000);
  },
);
