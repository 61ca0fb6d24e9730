import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from './project-root.js';

// electron-builder's own JSON schema (draft-07), shipped in app-builder-lib.
async function loadSchema(): Promise<object> {
  const file = path.join(projectRoot, 'node_modules/app-builder-lib/scheme.json');
  return JSON.parse(await readFile(file, 'utf8')) as object;
}

async function loadYaml(file: string): Promise<Record<string, unknown>> {
  return parseYaml(await readFile(path.join(projectRoot, file), 'utf8')) as Record<string, unknown>;
}

// A tiny typed accessor so the assertions read like the YAML.
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function targetNames(platformConfig: unknown): string[] {
  const targets = at(platformConfig, 'target');
  return (Array.isArray(targets) ? targets : []).map((target: unknown) =>
    typeof target === 'string' ? target : String(at(target, 'target')),
  );
}

async function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(await loadSchema());
}

describe('electron-builder.yml', () => {
  it('validates against app-builder-lib scheme.json', async () => {
    const validate = await validator();
    const config = await loadYaml('electron-builder.yml');
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check does fail on a wrong shape (notarize as an object, an unknown fuse)', async () => {
    const validate = await validator();
    const config = await loadYaml('electron-builder.yml');
    expect(
      validate({ ...config, mac: { ...(config.mac as object), notarize: { teamId: 'X' } } }),
    ).toBe(false);
    expect(
      validate({
        ...config,
        electronFuses: { ...(config.electronFuses as object), runAsNod: false },
      }),
    ).toBe(false);
  });

  it('names the app and packages only the built bundles, in an asar', async () => {
    const config = await loadYaml('electron-builder.yml');
    expect(config.appId).toBe('com.linkboard.desktop');
    expect(config.productName).toBe('Linkboard');
    expect(config.asar).toBe(true);
    expect(config.files).toEqual([
      'out/main/**',
      'out/preload/**',
      'out/renderer/**',
      '!**/*.map',
      'package.json',
    ]);
  });

  it('builds NSIS (per-machine option with elevation) and a per-machine MSI with a fixed upgrade code', async () => {
    const config = await loadYaml('electron-builder.yml');
    expect(targetNames(config.win)).toEqual(['nsis', 'msi']);
    expect(at(config, 'nsis', 'oneClick')).toBe(false);
    expect(at(config, 'nsis', 'allowElevation')).toBe(true);
    expect(at(config, 'nsis', 'perMachine')).toBe(false);
    expect(at(config, 'nsis', 'selectPerMachineByDefault')).toBe(true);
    expect(at(config, 'msi', 'perMachine')).toBe(true);
    expect(at(config, 'msi', 'upgradeCode')).toBe('BB98E384-930A-427D-BE6B-6C0D1F2581DC');
  });

  it('signs Windows builds and keeps update signature verification on', async () => {
    const config = await loadYaml('electron-builder.yml');
    expect(at(config, 'win', 'forceCodeSigning')).toBe(true);
    expect(at(config, 'win', 'verifyUpdateCodeSignature')).toBe(true);
    // Without a publisher name electron-updater skips the Authenticode check (NsisUpdater).
    expect(at(config, 'win', 'signtoolOptions', 'publisherName')).toEqual(['Linkboard']);
  });

  it('builds a hardened, notarised macOS DMG and ZIP with the entitlements in build/', async () => {
    const config = await loadYaml('electron-builder.yml');
    expect(targetNames(config.mac)).toEqual(['dmg', 'zip']);
    expect(at(config, 'mac', 'hardenedRuntime')).toBe(true);
    expect(at(config, 'mac', 'notarize')).toBe(true);
    expect(at(config, 'mac', 'entitlements')).toBe('build/entitlements.mac.plist');
    expect(at(config, 'mac', 'entitlementsInherit')).toBe('build/entitlements.mac.plist');
    const entitlements = await readFile(
      path.join(projectRoot, 'build/entitlements.mac.plist'),
      'utf8',
    );
    expect(entitlements).toContain('com.apple.security.cs.allow-jit');
    for (const relaxation of [
      'allow-unsigned-executable-memory',
      'disable-library-validation',
      'allow-dyld-environment-variables',
      'get-task-allow',
      'disable-executable-page-protection',
    ]) {
      expect(entitlements.replace(/<!--[\s\S]*?-->/g, '')).not.toContain(relaxation);
    }
  });

  it('builds AppImage, deb and rpm with a desktop entry and a category', async () => {
    const config = await loadYaml('electron-builder.yml');
    expect(targetNames(config.linux)).toEqual(['AppImage', 'deb', 'rpm']);
    expect(at(config, 'linux', 'category')).toBe('Network');
    expect(at(config, 'linux', 'desktop', 'entry')).toBeTypeOf('object');
    expect(at(config, 'linux', 'icon')).toBe('build/icons');
  });

  it('registers the linkboard scheme for every OS', async () => {
    const config = await loadYaml('electron-builder.yml');
    // Top-level protocols reach macOS (Info.plist) and Linux (desktop entry MimeType).
    expect(config.protocols).toEqual([{ name: 'Linkboard sign-in', schemes: ['linkboard'] }]);
    // NSIS has no protocols option: build/installer.nsh registers and removes the scheme.
    expect(at(config, 'nsis', 'include')).toBe('build/installer.nsh');
    const nsh = await readFile(path.join(projectRoot, 'build/installer.nsh'), 'utf8');
    expect(nsh).toMatch(/!macro customInstall[\s\S]*Software\\Classes\\linkboard" "URL Protocol"/);
    expect(nsh).toContain(String.raw`'"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'`);
    expect(nsh).toMatch(
      /!macro customUnInstall[\s\S]*DeleteRegKey SHCTX "Software\\Classes\\linkboard"/,
    );
  });

  it('sets every fuse the issue lists, to the value it lists', async () => {
    const config = await loadYaml('electron-builder.yml');
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('publishes to a generic feed whose URL comes from the build environment', async () => {
    const config = await loadYaml('electron-builder.yml');
    expect(config.publish).toEqual([
      { provider: 'generic', url: '${env.LINKBOARD_UPDATE_FEED_URL}', channel: 'latest' },
    ]);
  });
});

// electron-builder's own loader (with `extends`) and validator, as `electron-builder` runs them.
interface BuilderConfigModule {
  getConfig(projectDir: string, configPath: string | null): Promise<Record<string, unknown>>;
  validateConfiguration(config: object, debugLogger: object): Promise<void>;
}
const builderConfig = createRequire(import.meta.url)(
  'app-builder-lib/out/util/config/config.js',
) as BuilderConfigModule;
const quietDebugLogger = { isEnabled: false, add: () => undefined };

describe('electron-builder itself', () => {
  it('loads and accepts electron-builder.yml and the Azure overlay merged onto it', async () => {
    const base = await builderConfig.getConfig(projectRoot, 'electron-builder.yml');
    await builderConfig.validateConfiguration(base, quietDebugLogger);
    const azure = await builderConfig.getConfig(
      projectRoot,
      'build/electron-builder.azure-signing.yml',
    );
    await builderConfig.validateConfiguration(azure, quietDebugLogger);
    expect(azure.appId).toBe('com.linkboard.desktop');
    expect(at(azure, 'win', 'azureSignOptions', 'publisherName')).toBe('Linkboard');
    expect(at(azure, 'electronFuses')).toEqual(at(base, 'electronFuses'));
  });

  it('its validator refuses a wrong shape', async () => {
    const base = await builderConfig.getConfig(projectRoot, 'electron-builder.yml');
    await expect(
      builderConfig.validateConfiguration(
        { ...base, mac: { ...(base.mac as object), notarize: { teamId: 'X' } } },
        quietDebugLogger,
      ),
    ).rejects.toThrow(/does not match the API schema/);
  });
});

describe('the fuses electron-builder flips', () => {
  it('hands @electron/fuses every fuse of electron-builder.yml with its value', async () => {
    const requireFromHere = createRequire(import.meta.url);
    const builderLib = requireFromHere('app-builder-lib') as {
      PlatformPackager: { prototype: { generateFuseConfig(fuses: object): Promise<object> } };
    };
    // The @electron/fuses that app-builder-lib itself loads.
    const { FuseV1Options } = createRequire(requireFromHere.resolve('app-builder-lib'))(
      '@electron/fuses',
    ) as { FuseV1Options: Record<string, number> };
    const config = await loadYaml('electron-builder.yml');
    const fuseConfig = (await builderLib.PlatformPackager.prototype.generateFuseConfig.call(
      {},
      config.electronFuses as object,
    )) as Record<string, unknown>;
    expect(fuseConfig).toMatchObject({
      [FuseV1Options.RunAsNode!]: false,
      [FuseV1Options.EnableCookieEncryption!]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable!]: false,
      [FuseV1Options.EnableNodeCliInspectArguments!]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation!]: true,
      [FuseV1Options.OnlyLoadAppFromAsar!]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges!]: false,
    });
  });
});

describe('the Azure Trusted Signing overlay', () => {
  it('extends electron-builder.yml, validates, and carries the account fields only', async () => {
    const overlay = await loadYaml('build/electron-builder.azure-signing.yml');
    expect(overlay.extends).toBe('electron-builder.yml');
    const validate = await validator();
    expect(validate(overlay)).toBe(true);
    expect(Object.keys(at(overlay, 'win', 'azureSignOptions') as object).sort()).toEqual([
      'certificateProfileName',
      'codeSigningAccountName',
      'endpoint',
      'fileDigest',
      'publisherName',
      'timestampDigest',
      'timestampRfc3161',
    ]);
  });
});

describe('no secret in the installer configuration', () => {
  // Keys that would carry signing credentials in the file instead of the environment.
  const credentialKey =
    /^(cscLink|cscKeyPassword|cscInstallerLink|cscInstallerKeyPassword|certificateFile|certificatePassword|certificateSha1)$|secret|password|token|apikey|privatekey/i;
  // Values that look like key material or credentials rather than names and URLs.
  const credentialValue = [
    /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/,
    /^[A-Za-z0-9+/]{40,}={0,2}$/, // long base64 (an inline .p12)
    /^[a-f0-9]{32,}$/i, // long hex (a thumbprint, an API key)
    /:\/\/[^/\s:@]+:[^/\s@]+@/, // a URL with a password
  ];

  function* entries(value: unknown, trail: string[] = []): Generator<[string[], unknown]> {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) yield* entries(item, [...trail, String(index)]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) yield* entries(item, [...trail, key]);
    } else {
      yield [trail, value];
    }
  }

  function findings(config: unknown): string[] {
    const found: string[] = [];
    for (const [trail, value] of entries(config)) {
      const key = trail.filter((part) => !/^\d+$/.test(part)).at(-1) ?? '';
      if (credentialKey.test(key)) found.push(`key ${trail.join('.')}`);
      if (typeof value === 'string' && credentialValue.some((pattern) => pattern.test(value))) {
        found.push(`value at ${trail.join('.')}`);
      }
    }
    return found;
  }

  it.each(['electron-builder.yml', 'build/electron-builder.azure-signing.yml'])(
    '%s has no credential key and no credential-looking value',
    async (file) => {
      expect(findings(await loadYaml(file))).toEqual([]);
    },
  );

  it('the scan finds a planted certificate password and an inline certificate', () => {
    expect(
      findings({
        win: { cscKeyPassword: 'hunter2', signtoolOptions: { certificateFile: 'c.pfx' } },
        mac: {
          identity: 'MIIKkQIBAzCCClcGCSqGSIb3DQEHAaCCCkgEggpEMIIKQDCCBPcGCSqGSIb3DQEHBqCCBOg',
        },
      }),
    ).toEqual([
      'key win.cscKeyPassword',
      'key win.signtoolOptions.certificateFile',
      'value at mac.identity',
    ]);
  });
});
