import { z } from 'zod';
import {
  APP_LANGUAGES,
  RedirectMode,
  type PublicConfig,
  type PublicConfigKey,
} from '@linkboard/contract';

/**
 * How each configuration value is read and checked. Sources hand over strings (environment,
 * command line, registry REG_SZ), numbers (registry DWORD, JSON) or booleans (JSON), so each schema
 * coerces what a human would mean and refuses the rest.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/** A DNS name with at least two labels: `tenant.eu.auth0.com`, `login.example.org`. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** A loopback `http` origin such as the sandbox's `http://127.0.0.1:4000`, no path, no trailing slash. */
function loopbackOrigin(value: string): string | null {
  const url = parseUrl(value);
  if (!url || url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) return null;
  if (url.username || url.password || url.search || url.hash) return null;
  if (value !== url.origin) return null;
  return url.origin;
}

const printable = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]+$/, 'printable characters without spaces')
    .max(max);

const booleanLike = z.union([
  z.boolean(),
  z.literal(0).transform(() => false),
  z.literal(1).transform(() => true),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
    .transform((text) => ['true', '1', 'yes', 'on'].includes(text)),
]);

const port = z
  .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)])
  .pipe(
    z.number().int().min(1024, 'a port from 1024 to 65535').max(65535, 'a port from 1024 to 65535'),
  );

/** An `https` URL (or, in development, a loopback `http` one), normalised without a trailing slash. */
function serviceUrl(isDevelopment: boolean) {
  return z
    .string()
    .trim()
    .transform((value, context) => {
      const url = parseUrl(value);
      const allowed =
        url &&
        (url.protocol === 'https:' ||
          (isDevelopment && url.protocol === 'http:' && isLoopbackHost(url.hostname)));
      if (!url || !allowed) {
        context.addIssue({
          code: 'custom',
          message: isDevelopment
            ? 'an https URL, or an http URL on 127.0.0.1 or localhost'
            : 'an https URL',
        });
        return z.NEVER;
      }
      if (url.username || url.password || url.search || url.hash) {
        context.addIssue({ code: 'custom', message: 'a URL without user name, query or fragment' });
        return z.NEVER;
      }
      return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    });
}

function auth0Domain(isDevelopment: boolean) {
  return z
    .string()
    .trim()
    .transform((value, context) => {
      const host = value.toLowerCase();
      if (HOST_NAME.test(host)) return host;
      const origin = isDevelopment ? loopbackOrigin(value) : null;
      if (origin) return origin;
      context.addIssue({
        code: 'custom',
        message: isDevelopment
          ? 'a bare host such as tenant.eu.auth0.com, or a loopback origin such as http://127.0.0.1:4000 without a trailing slash'
          : 'a bare host such as tenant.eu.auth0.com (no scheme, path or trailing slash)',
      });
      return z.NEVER;
    });
}

/**
 * A proxy as `http(s)://host[:port]`, normalised to that origin. No user name or password: proxy
 * credentials are the OS's business (Electron asks the system for them), and a password here would
 * be a secret in configuration.
 */
const proxyUrl = z
  .string()
  .trim()
  .transform((value, context) => {
    const url = parseUrl(value);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      context.addIssue({
        code: 'custom',
        message: 'an http or https proxy URL such as http://proxy.example.com:3128',
      });
      return z.NEVER;
    }
    if (url.username || url.password) {
      context.addIssue({
        code: 'custom',
        message: 'a proxy URL without user name or password (the OS supplies proxy credentials)',
      });
      return z.NEVER;
    }
    if (url.pathname !== '/' || url.search || url.hash) {
      context.addIssue({ code: 'custom', message: 'a proxy URL without path, query or fragment' });
      return z.NEVER;
    }
    return url.origin;
  });

/** A language the app speaks, by its code (`de`, `DE`); the message names every one. */
const LANGUAGE_EXPECTED = `a language the app speaks: ${APP_LANGUAGES.join(' or ')}`;
const language = z
  .string({ error: LANGUAGE_EXPECTED })
  .trim()
  .toLowerCase()
  .pipe(z.enum(APP_LANGUAGES, { error: LANGUAGE_EXPECTED }));

export function configValueSchemas(isDevelopment: boolean): {
  [K in PublicConfigKey]: z.ZodType<PublicConfig[K], unknown>;
} {
  return {
    auth0Domain: auth0Domain(isDevelopment),
    clientId: printable(256),
    brokerAudience: printable(512),
    brokerUrl: serviceUrl(isDevelopment),
    redirectMode: z.string().trim().toLowerCase().pipe(RedirectMode),
    loopbackPort: port,
    updateFeedUrl: serviceUrl(isDevelopment),
    updatesEnabled: booleanLike,
    updateChannel: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/i, 'a channel name such as latest or beta'),
    proxyUrl,
    language,
  };
}

/**
 * Keys every configuration needs from some source; the rest have built-in defaults.
 */
export const REQUIRED_KEYS = ['auth0Domain', 'clientId', 'brokerAudience', 'brokerUrl'] as const;

/** Built-in defaults for the keys that have one, in every build. */
export const BUILT_IN_DEFAULTS = {
  redirectMode: 'loopback',
  /** Fixed because Auth0 matches callback URLs exactly, ports included. */
  loopbackPort: 47823,
  updateFeedUrl: null,
  updatesEnabled: true,
  updateChannel: null,
  proxyUrl: null,
  /** The computer's language, or the one the user picks in Settings. */
  language: null,
} as const satisfies Partial<PublicConfig>;

/** The origin auth0-spa-js and the browser talk to: `https://{host}`, or the loopback origin as is. */
export function auth0OriginOf(auth0Domain: string): string {
  return auth0Domain.startsWith('http://') || auth0Domain.startsWith('https://')
    ? new URL(auth0Domain).origin
    : `https://${auth0Domain}`;
}
