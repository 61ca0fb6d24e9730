import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// keytar is a Node-API addon: the keytar.node npm built here against Node's headers asks the process
// that loads it for Node-API functions only, never for V8's, libuv's or Node's C++ internals, so the
// same binary loads in Electron's main process (which provides Node-API) without @electron/rebuild.
// See docs/architecture.md, "The OS keychain on Electron".
const keytarDirectory = dirname(createRequire(import.meta.url).resolve('keytar/package.json'));
const addon = join(keytarDirectory, 'build/Release/keytar.node');

/** The dynamic symbols keytar.node leaves undefined: what its libraries and its host must provide. */
function undefinedSymbols(): string[] {
  const listing = execFileSync('nm', ['--dynamic', '--undefined-only', addon], {
    encoding: 'utf8',
  });
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/).at(-1)?.replace(/@.*$/, '') ?? '')
    .filter(Boolean);
}

describe('keytar on Electron', () => {
  it('declares Node-API 3, which every supported Electron provides', () => {
    const manifest = JSON.parse(readFileSync(join(keytarDirectory, 'package.json'), 'utf8')) as {
      binary?: { napi_versions?: number[] };
    };
    expect(manifest.binary?.napi_versions).toEqual([3]);
  });

  it('is built against Node-API alone: no V8, libuv or Node internals among its undefined symbols', () => {
    const symbols = undefinedSymbols();
    expect(symbols.filter((symbol) => /^(napi|node_api)_/.test(symbol)).length).toBeGreaterThan(10);
    // Itanium-mangled v8::… and node::…, libuv's uv_…, and the pre-Node-API module registration.
    const engineSymbols = symbols.filter((symbol) =>
      /^(_ZN2v8|_ZNK2v8|_ZN4node|_ZNK4node|uv_|node_module_register)/.test(symbol),
    );
    expect(engineSymbols).toEqual([]);
  });
});
