import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_KEYS, matchConfigKey } from '../../main/src/config/config-keys.js';
import { projectRoot } from './project-root.js';

const read = (file: string) => readFile(path.join(projectRoot, file), 'utf8');

// The guide must say what the configuration and the installers actually do: these checks fail when
// one of them changes and the guide does not.
describe('docs/it-deployment.md', () => {
  it('lists every policy key in its table, and no other', async () => {
    const guide = await read('docs/it-deployment.md');
    const tableKeys = [...guide.matchAll(/^\|\s*`(\w+)`\s*\|\s*(?:text|number|boolean)/gm)].map(
      (match) => match[1]!,
    );
    expect(tableKeys.map((key) => matchConfigKey(key)).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('gives the silent-install commands and the policy check', async () => {
    const guide = await read('docs/it-deployment.md');
    expect(guide).toContain('/S /allusers');
    expect(guide).toMatch(/msiexec \/i \S+\.msi \/qn/);
    expect(guide).toContain('npm run config:check -- /path/to/policy.json');
  });

  it('quotes the upgrade code and publisher name that electron-builder.yml sets', async () => {
    const guide = await read('docs/it-deployment.md');
    const config = parseYaml(await read('electron-builder.yml')) as {
      msi: { upgradeCode: string };
      win: { signtoolOptions: { publisherName: string[] } };
    };
    expect(guide).toContain(config.msi.upgradeCode);
    expect(guide).toContain(`(\`${config.win.signtoolOptions.publisherName[0]}\`)`);
  });

  it('names the signing variables and no value for them', async () => {
    const guide = await read('docs/it-deployment.md');
    for (const variable of [
      'CSC_LINK',
      'CSC_KEY_PASSWORD',
      'WIN_CSC_LINK',
      'AZURE_TENANT_ID',
      'AZURE_CLIENT_ID',
      'AZURE_CLIENT_SECRET',
      'APPLE_ID',
      'APPLE_APP_SPECIFIC_PASSWORD',
      'APPLE_TEAM_ID',
      'APPLE_API_KEY',
      'APPLE_API_KEY_ID',
      'APPLE_API_ISSUER',
    ]) {
      expect(guide).toContain(`\`${variable}\``);
      expect(guide).not.toMatch(new RegExp(`${variable}=(?!…)\\S`));
    }
  });
});
