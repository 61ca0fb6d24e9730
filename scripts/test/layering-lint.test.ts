import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from './run-script.js';

/**
 * The layering rules of eslint.config.js (docs/architecture.md#layering), shown by planting files
 * in the tree where each rule applies and running the real lint command on them: every planted
 * violation fails the run with its rule's message, and the same imports where they are allowed
 * pass. The planted files are removed afterwards.
 */

interface Plant {
  /** Folder, relative to the repository root, where the file is planted. */
  folder: string;
  source: string;
  /** A fragment of the layering message expected, or null when the file must lint clean. */
  refusal: string | null;
}

const ELECTRON = 'electron is imported only in main/src/electron/';
const SANDBOX = 'the sandbox and the dev stack are development tools';
const BROKER = 'the desktop app does not import the broker';
const DESKTOP = 'the broker does not import the desktop app';
const CONTRACT = 'contract/ imports nothing of ours';

const plants: Plant[] = [
  // electron
  { folder: 'main/src/config', source: "import { app } from 'electron';", refusal: ELECTRON },
  {
    folder: 'main/src/tokens',
    source: "import type { SafeStorage } from 'electron';",
    refusal: ELECTRON,
  },
  {
    folder: 'renderer/src',
    source: "import { ipcRenderer } from 'electron/renderer';",
    refusal: ELECTRON,
  },
  { folder: 'preload/src', source: "import { contextBridge } from 'electron';", refusal: ELECTRON },
  { folder: 'broker/src', source: "import { app } from 'electron';", refusal: ELECTRON },
  { folder: 'main/src/electron', source: "import { app } from 'electron';", refusal: null },
  // The updater package is not electron.
  { folder: 'main/src/updates', source: "import updater from 'electron-updater';", refusal: null },
  // the sandbox and the dev stack
  {
    folder: 'main/src/config',
    source: "import { SandboxInfo } from '@linkboard/sandbox/start-line';",
    refusal: SANDBOX,
  },
  {
    folder: 'renderer/src',
    source: "import { startSandbox } from '@linkboard/sandbox';",
    refusal: SANDBOX,
  },
  {
    folder: 'main/src/config',
    source: "import { startSandbox } from '../../../sandbox/src/index.js';",
    refusal: SANDBOX,
  },
  {
    folder: 'broker/src',
    source: "import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';",
    refusal: SANDBOX,
  },
  {
    folder: 'contract/src',
    source: "import type { SandboxInfo } from '@linkboard/sandbox/start-line';",
    refusal: SANDBOX,
  },
  {
    folder: 'testing/src',
    source: "import { startSandbox } from '@linkboard/sandbox';",
    refusal: SANDBOX,
  },
  {
    folder: 'broker/test',
    source: "import { startSandbox } from '@linkboard/sandbox';",
    refusal: null,
  },
  {
    folder: 'e2e/support',
    source: "import { startSandbox } from '@linkboard/sandbox';",
    refusal: null,
  },
  { folder: 'bench', source: "import { startSandbox } from '@linkboard/sandbox';", refusal: null },
  {
    folder: 'scripts',
    source: "import { SandboxInfo } from '@linkboard/sandbox/start-line';",
    refusal: null,
  },
  // broker <-> desktop
  {
    folder: 'main/src/ipc',
    source: "import { buildBroker } from '@linkboard/broker';",
    refusal: BROKER,
  },
  {
    folder: 'main/src/ipc',
    source: "import { loadConfig } from '../../../broker/src/config/load-config.js';",
    refusal: BROKER,
  },
  { folder: 'renderer/test', source: "export * from '@linkboard/broker';", refusal: BROKER },
  // main's own broker client is not the broker.
  {
    folder: 'main/src/ipc',
    source: "import { createBrokerClient } from '../broker/broker-client.js';",
    refusal: null,
  },
  {
    folder: 'broker/src/http',
    source: "import { loadConfig } from '../../../main/src/config/load-config.js';",
    refusal: DESKTOP,
  },
  {
    folder: 'broker/test',
    source: "import { createIpcRegistry } from '../../main/src/services/index.js';",
    refusal: DESKTOP,
  },
  // contract
  {
    folder: 'contract/src',
    source: "import { freePort } from '@linkboard/testing/free-port';",
    refusal: CONTRACT,
  },
  { folder: 'contract/src', source: "import { z } from 'zod';", refusal: null },
];

const id = randomBytes(4).toString('hex');
const planted = plants.map((plant, index) => ({
  ...plant,
  path: join(plant.folder, `layering-probe-${id}-${index}.ts`),
}));

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string }>;
}

/** `eslint` as `npm run lint` runs it, on the given files; its exit code and its JSON report. */
function lint(paths: string[]): { code: number | null; results: Map<string, LintResult> } {
  const run = spawnSync(
    process.execPath,
    [
      join(repositoryRoot, 'node_modules/eslint/bin/eslint.js'),
      '--format',
      'json',
      // The import itself is the case; the imported name going unused is not.
      '--rule',
      '@typescript-eslint/no-unused-vars: off',
      ...paths,
    ],
    { cwd: repositoryRoot, encoding: 'utf8', timeout: 120_000 },
  );
  const parsed = JSON.parse(run.stdout) as LintResult[];
  return { code: run.status, results: new Map(parsed.map((result) => [result.filePath, result])) };
}

let all: ReturnType<typeof lint>;
let cleanOnly: ReturnType<typeof lint>;

function removePlanted(): void {
  for (const plant of planted) rmSync(join(repositoryRoot, plant.path), { force: true });
}

beforeAll(() => {
  try {
    for (const plant of planted)
      writeFileSync(join(repositoryRoot, plant.path), `${plant.source}\nexport const probe = 1;\n`);
    all = lint(planted.map((plant) => plant.path));
    cleanOnly = lint(planted.filter((plant) => plant.refusal === null).map((plant) => plant.path));
  } finally {
    removePlanted();
  }
}, 240_000);

afterAll(removePlanted);

describe('the layering lint rules', () => {
  it('fail the lint run when a planted file breaks them', () => {
    expect(all.code).toBe(1);
  });

  it('pass the lint run of the planted files that keep them', () => {
    expect(cleanOnly.code).toBe(0);
    expect(cleanOnly.results.size).toBe(planted.filter((plant) => plant.refusal === null).length);
  });

  it.each(planted.map((plant) => [plant.path.replace(`-${id}`, ''), plant] as const))(
    '%s',
    (_name, plant) => {
      const result = all.results.get(join(repositoryRoot, plant.path));
      expect(result, 'eslint linted the planted file').toBeDefined();
      const messages = result?.messages ?? [];
      if (plant.refusal === null) {
        expect(messages).toEqual([]);
      } else {
        // One import may break two rules (contract/ importing the sandbox): each is reported.
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) expect(message.ruleId).toBe('no-restricted-imports');
        expect(messages.map((message) => message.message).join('\n')).toContain(plant.refusal);
      }
    },
  );
});
