import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/config/config-keys.js';
import { commandLineSource } from '../../src/config/command-line-source.js';
import { environmentSource } from '../../src/config/environment-source.js';
import { namesSecret } from '../../src/config/secret-keys.js';
import {
  InvalidConfigurationError,
  SecretInConfigurationError,
} from '../../src/config/config-errors.js';
import { loadConfig, resolveConfigSources } from '../../src/config/load-config.js';
import type { RawConfigSource } from '../../src/config/raw-config-source.js';
import { CONFIG_REFUSED_EXIT_CODE } from '../../src/errors/config-refusal.js';

const complete = {
  auth0Domain: 'tenant.eu.auth0.com',
  clientId: 'abcDEF123',
  brokerAudience: 'https://broker.linkboard.example/',
  brokerUrl: 'https://broker.linkboard.example',
};

const policy = (values: Record<string, unknown>): RawConfigSource => ({
  kind: 'policy',
  location: 'HKLM\\SOFTWARE\\Policies\\Linkboard',
  values,
});
const user = (values: Record<string, unknown>): RawConfigSource => ({
  kind: 'user',
  location: '/home/ada/.config/Linkboard/settings.json',
  values,
});
const defaults = (values: Record<string, unknown>): RawConfigSource => ({
  kind: 'default',
  location: 'development stack',
  values,
});

function loaded(sources: RawConfigSource[], isDevelopment = false) {
  const result = loadConfig(sources, { isDevelopment });
  if (!result.ok) throw result.error;
  return result.value;
}

function refusal(sources: RawConfigSource[], isDevelopment = false) {
  const result = loadConfig(sources, { isDevelopment });
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('loadConfig precedence', () => {
  it('takes each key from the strongest source: policy, user, command line, environment, default', () => {
    const sources: RawConfigSource[] = [
      defaults({ ...complete, clientId: 'from-default', loopbackPort: 40001 }),
      environmentSource({
        LINKBOARD_CLIENT_ID: 'from-environment',
        LINKBOARD_LOOPBACK_PORT: '40002',
        LINKBOARD_UPDATE_CHANNEL: 'beta',
        LINKBOARD_BROKER_AUDIENCE: 'env-audience',
      }),
      commandLineSource(['--loopback-port=40003', '--update-channel=nightly']),
      user({ loopbackPort: 40004, updatesEnabled: 'false' }),
      policy({ LoopbackPort: 40005, BrokerURL: 'https://policy.example.org/' }),
    ];
    const { config, sources: from, locations } = loaded(sources);
    expect(config).toEqual({
      auth0Domain: 'tenant.eu.auth0.com',
      clientId: 'from-environment',
      brokerAudience: 'env-audience',
      brokerUrl: 'https://policy.example.org',
      redirectMode: 'loopback',
      loopbackPort: 40005,
      updateFeedUrl: null,
      updatesEnabled: false,
      updateChannel: 'nightly',
      proxyUrl: null,
      language: null,
    });
    expect(from).toMatchObject({
      auth0Domain: 'default',
      clientId: 'environment',
      brokerUrl: 'policy',
      loopbackPort: 'policy',
      updatesEnabled: 'user',
      updateChannel: 'command-line',
      redirectMode: 'default',
    });
    expect(locations.brokerUrl).toBe('HKLM\\SOFTWARE\\Policies\\Linkboard');
  });

  it('matches keys whatever their case and separators', () => {
    const { config } = loaded([
      policy({
        AUTH0_DOMAIN: 'Tenant.Auth0.com',
        'client-id': 'id1',
        'broker.audience': 'aud',
        BrokerUrl: 'https://b.example.com/api/',
        REDIRECT_MODE: 'Custom-Scheme',
      }),
    ]);
    expect(config).toMatchObject({
      auth0Domain: 'tenant.auth0.com',
      clientId: 'id1',
      brokerAudience: 'aud',
      brokerUrl: 'https://b.example.com/api',
      redirectMode: 'custom-scheme',
    });
  });

  it('lets an empty value defer to a weaker source and reports unknown keys', () => {
    const { clientId: _unused, ...withoutClientId } = complete;
    const value = loaded([
      policy({ ...withoutClientId, ClientId: '', Colour: 'blue' }),
      user({ clientId: 'u' }),
    ]);
    expect(value.config.clientId).toBe('u');
    expect(value.ignoredKeys).toEqual([
      { location: 'HKLM\\SOFTWARE\\Policies\\Linkboard', key: 'Colour' },
    ]);
  });
});

describe('the language key', () => {
  it('is unset by default, so the app follows the computer and the choice in Settings', () => {
    const value = loaded([user(complete)]);
    expect(value.config.language).toBeNull();
    expect(value.sources.language).toBe('default');
  });

  it('takes a managed policy over the user’s settings and the environment, in any case', () => {
    const value = loaded([
      environmentSource({ LINKBOARD_LANGUAGE: 'en' }),
      user({ ...complete, language: 'en' }),
      policy({ Language: 'DE' }),
    ]);
    expect(value.config.language).toBe('de');
    expect(value.sources.language).toBe('policy');
    expect(value.locations.language).toBe('HKLM\\SOFTWARE\\Policies\\Linkboard');
  });

  it('takes the user’s settings where no policy sets it', () => {
    const value = loaded([policy(complete), user({ language: 'de' })]);
    expect(value.config.language).toBe('de');
    expect(value.sources.language).toBe('user');
  });

  it('refuses a language the app does not speak, naming the key, the languages and the source', () => {
    for (const language of ['fr', 'de-AT', 'German', 1]) {
      const error = refusal([policy({ ...complete, Language: language })]);
      expect(error, String(language)).toBeInstanceOf(InvalidConfigurationError);
      expect(error.message).toMatch(
        /language: must be a language the app speaks: en or de .*HKLM\\SOFTWARE\\Policies\\Linkboard/,
      );
    }
  });
});

describe('loadConfig validation', () => {
  it('refuses http broker URLs outside development and accepts loopback http in development', () => {
    const http = { ...complete, brokerUrl: 'http://127.0.0.1:9000' };
    const error = refusal([policy(http)]);
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect(error.message).toContain('brokerUrl: must be an https URL');
    expect(loaded([policy(http)], true).config.brokerUrl).toBe('http://127.0.0.1:9000');
    expect(
      refusal([policy({ ...complete, brokerUrl: 'http://broker.example.com' })], true),
    ).toBeInstanceOf(InvalidConfigurationError);
  });

  it('accepts a bare host, or a loopback origin in development only', () => {
    const sandbox = { ...complete, auth0Domain: 'http://127.0.0.1:4000' };
    expect(loaded([defaults(sandbox)], true).config.auth0Domain).toBe('http://127.0.0.1:4000');
    expect(refusal([defaults(sandbox)])).toBeInstanceOf(InvalidConfigurationError);
    for (const auth0Domain of [
      'https://tenant.auth0.com',
      'tenant.auth0.com/',
      'tenant.auth0.com:443',
      'http://127.0.0.1:4000/',
      'localhost',
      'user@tenant.auth0.com',
    ]) {
      expect(refusal([policy({ ...complete, auth0Domain })], true), auth0Domain).toBeInstanceOf(
        InvalidConfigurationError,
      );
    }
  });

  it('refuses bad ports, modes and booleans, naming the key and the source', () => {
    const error = refusal([
      policy({ ...complete, loopbackPort: 80, redirectMode: 'iframe' }),
      user({ updatesEnabled: 'maybe' }),
    ]);
    expect(error.message).toMatch(/loopbackPort: .*1024 to 65535.*HKLM/);
    expect(error.message).toMatch(/redirectMode/);
    expect(error.message).toMatch(/updatesEnabled: .*settings\.json/);
    expect(error.message).toMatch(/correct each refused value .*then start Linkboard again\.$/);
    expect(error.exitCode).toBe(CONFIG_REFUSED_EXIT_CODE);
  });

  it('refuses a configuration that lacks a required key, and config:check can look past that', () => {
    const error = refusal([policy({ auth0Domain: 'tenant.auth0.com' })]);
    expect(error.message).toMatch(/clientId: is not set/);
    const partial = resolveConfigSources([policy({ auth0Domain: 'tenant.auth0.com' })], {
      isDevelopment: false,
    });
    expect(partial.ok && partial.value.missing).toEqual([
      'clientId',
      'brokerAudience',
      'brokerUrl',
    ]);
  });
});

describe('secret refusal', () => {
  const cases: Array<[string, RawConfigSource, string]> = [
    ['policy', policy({ ...complete, ClientSecret: 'x' }), 'ClientSecret'],
    ['user settings', user({ auth0: { client_secret: 'x' } }), 'client_secret'],
    ['environment', environmentSource({ LINKBOARD_M2M_CLIENT_ID: 'x' }), 'LINKBOARD_M2M_CLIENT_ID'],
    ['command line', commandLineSource(['--private-key=/tmp/key.pem']), 'private-key'],
    ['defaults', defaults({ password: 'x' }), 'password'],
  ];

  it.each(cases)(
    'refuses a secret-named key in the %s, naming source and key, not the value',
    (_name, source, key) => {
      const error = refusal([policy(complete), source]);
      expect(error).toBeInstanceOf(SecretInConfigurationError);
      expect(error.exitCode).toBe(CONFIG_REFUSED_EXIT_CODE);
      expect(error.message).toContain(`"${key}"`);
      expect(error.message).toContain(source.location);
      expect(error.message).toContain('belong on the broker');
      expect(error.message).not.toMatch(/\/tmp\/key\.pem/);
    },
  );

  it('refuses even when the secret-named key is empty or unknown to the app', () => {
    expect(refusal([policy({ ...complete, apiKey: '' })])).toBeInstanceOf(
      SecretInConfigurationError,
    );
    expect(refusal([commandLineSource(['--refresh-token'])])).toBeInstanceOf(
      SecretInConfigurationError,
    );
  });

  it('names no public key as a secret, and ignores Chromium switches that only sound like one', () => {
    for (const key of CONFIG_KEYS) expect(namesSecret(key), key).toBe(false);
    expect(
      loaded([policy(complete), commandLineSource(['--password-store=basic'])]).config,
    ).toBeTruthy();
  });

  it('does not read variables outside the LINKBOARD_ prefix', () => {
    const source = environmentSource({
      GITHUB_TOKEN: 'ghp_x',
      LINKBOARD_BROKER_URL: 'https://b.example.com',
    });
    expect(Object.keys(source.values)).toEqual(['LINKBOARD_BROKER_URL']);
  });
});
