import { LRUCache } from 'lru-cache';
import type { CompiledCall, CompiledProvider } from '../catalogue/compiled-provider.js';
import { BrokerError } from '../errors/broker-error.js';
import type { UpstreamTarget } from '../upstream/upstream-client.js';
import { checkQuery, matchAllowedCall, pinnedUpstreamUrl } from './allowlist.js';
import { guardProxyUrl } from './path-guard.js';

/** A proxied call that passed every check of rule 4: what the proxy needs to send it. */
export interface CheckedTarget {
  readonly provider: CompiledProvider;
  /** The allowlisted call it matched (its pattern goes into the audit line). */
  readonly call: CompiledCall;
  /** The upstream path below the provider's base path, each segment encoded. */
  readonly encodedPath: string;
  /** The query as sent upstream, serialised (no `?`; empty when there is none). */
  readonly search: string;
  /** The pinned upstream URL, split as it is sent. */
  readonly upstream: UpstreamTarget;
}

/** What the audit line says of a call's target, filled as far as the checks got. */
export interface TargetAudit {
  connection?: string;
  pattern?: string;
}

/**
 * Checks a proxied call's raw URL against the catalogue (docs/architecture.md#security-rules,
 * rule 4): the path guard, the connection, the allowlist and its query rules, the pinned URL.
 */
export function checkTarget(
  providers: ReadonlyMap<string, CompiledProvider>,
  method: string,
  rawUrl: string,
  audit: TargetAudit,
): CheckedTarget {
  const target = guardProxyUrl(rawUrl);
  const provider = providers.get(target.connection);
  if (!provider) {
    throw new BrokerError('provider_unknown', `"${target.connection}" is not in the catalogue`);
  }
  audit.connection = provider.entry.connection;
  const allowed = matchAllowedCall(provider, method, target.segments);
  audit.pattern = allowed.call.pattern;
  checkQuery(allowed.call, target.query);
  const url = pinnedUpstreamUrl(provider, allowed.encodedPath, target.query);
  return {
    provider,
    call: allowed.call,
    encodedPath: allowed.encodedPath,
    search: url.search.slice(1),
    upstream: { origin: url.origin, path: url.pathname + url.search },
  };
}

/** How many checked targets are kept, at most. */
const KEPT_TARGETS = 4096;
/**
 * And how much of their text, in characters: a URL may be 4 KiB long, so 4,096 of the longest
 * would hold some 50 MB; the usual ones (under 200 characters) all fit.
 */
const KEPT_CHARACTERS = 1024 * 1024;

function keptCharacters(target: CheckedTarget, key: string): number {
  return (
    key.length + target.encodedPath.length + target.search.length + target.upstream.path.length
  );
}

/**
 * The targets of recent calls, kept by method and raw URL as received: a call repeating one
 * (every user's `/user`, the first page of their repositories) is not checked again, as the
 * checks are a pure function of those two strings and a catalogue that does not change while
 * the broker runs. Only targets that passed are kept, and only under the exact bytes that
 * passed: any other URL, however close, is checked in full. A kept target is never changed
 * (its fields are strings and the compiled catalogue).
 */
export class CheckedTargets {
  private readonly kept = new LRUCache<string, CheckedTarget>({
    max: KEPT_TARGETS,
    maxSize: KEPT_CHARACTERS,
    sizeCalculation: keptCharacters,
  });

  constructor(private readonly providers: ReadonlyMap<string, CompiledProvider>) {}

  check(method: string, rawUrl: string, audit: TargetAudit): CheckedTarget {
    const key = `${method} ${rawUrl}`;
    let target = this.kept.get(key);
    if (target === undefined) {
      target = checkTarget(this.providers, method, rawUrl, audit);
      this.kept.set(key, target);
    } else {
      audit.connection = target.provider.entry.connection;
      audit.pattern = target.call.pattern;
    }
    return target;
  }
}
