import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../src/development/electron-binary.js';
import { repositoryRoot, runNpmScript } from './run-script.js';

const binary = findElectronBinary(repositoryRoot);

describe('npm start', () => {
  it.skipIf(binary !== null)(
    'says plainly that Electron is missing and points to the demo (skipped: an Electron binary is installed)',
    async () => {
      const { code, stderr } = await runNpmScript('start', []);
      expect(code).toBe(69);
      expect(stderr).toContain('the Electron binary is not installed');
      expect(stderr).toContain('npm run demo');
    },
  );
});
