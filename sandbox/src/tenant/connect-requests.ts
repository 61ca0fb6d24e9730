import { createHash, timingSafeEqual } from 'node:crypto';
import { randomSecret } from './random-secret.js';
import type { IdpConnection } from './tenant-config.js';

/** How long a connect ticket, and the connect code it turns into, can be used. */
export const CONNECT_TICKET_TTL_SECONDS = 300;

/**
 * One Connected Accounts flow of the My Account API: started by `POST connected-accounts/connect`,
 * decided by the user on the connect page (Allow gives a connect code, Deny ends it), finished by
 * `POST connected-accounts/complete`. Each step works once.
 */
export interface ConnectRequest {
  authSession: string;
  ticket: string;
  userId: string;
  connection: IdpConnection;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string | undefined;
  scopes: readonly string[];
  /** Epoch milliseconds. */
  expiresAt: number;
  step: 'awaiting-consent' | 'approved' | 'denied' | 'completed';
  connectCode?: string;
}

export type CompleteRefusal =
  | 'unknown_session'
  | 'expired'
  | 'not_approved'
  | 'wrong_code'
  | 'wrong_redirect_uri'
  | 'wrong_verifier';

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A one-use value the Connected Accounts flow handed out, for leak checks. */
export interface IssuedConnectValue {
  kind: 'ticket' | 'auth_session' | 'connect_code';
  value: string;
  userId: string;
  connection: IdpConnection;
}

export class ConnectRequests {
  readonly #bySession = new Map<string, ConnectRequest>();
  readonly #byTicket = new Map<string, ConnectRequest>();
  readonly #issued: IssuedConnectValue[] = [];
  readonly #now: () => number;

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
  }

  start(
    request: Omit<ConnectRequest, 'authSession' | 'ticket' | 'expiresAt' | 'step'>,
  ): ConnectRequest {
    const started: ConnectRequest = {
      ...request,
      authSession: randomSecret(24),
      ticket: randomSecret(24),
      expiresAt: this.#now() + CONNECT_TICKET_TTL_SECONDS * 1000,
      step: 'awaiting-consent',
    };
    this.#bySession.set(started.authSession, started);
    this.#byTicket.set(started.ticket, started);
    this.#remember('auth_session', started.authSession, started);
    this.#remember('ticket', started.ticket, started);
    return started;
  }

  /**
   * Forgets every flow started (a sandbox reset): their tickets, sessions and codes no longer work.
   * What was handed out stays listed for leak checks.
   */
  clear(): void {
    this.#bySession.clear();
    this.#byTicket.clear();
  }

  /** Every ticket, `auth_session` and connect code handed out in this run, oldest first. */
  issued(): IssuedConnectValue[] {
    return this.#issued.map((value) => ({ ...value }));
  }

  #remember(kind: IssuedConnectValue['kind'], value: string, request: ConnectRequest): void {
    this.#issued.push({ kind, value, userId: request.userId, connection: request.connection });
  }

  /** The request a connect page ticket belongs to, while it awaits the user's decision. */
  awaitingConsent(ticket: string): ConnectRequest | undefined {
    const request = this.#byTicket.get(ticket);
    if (!request || request.step !== 'awaiting-consent' || request.expiresAt <= this.#now())
      return undefined;
    return request;
  }

  /** The user allowed: the request gets its one connect code. */
  approve(request: ConnectRequest): string {
    request.step = 'approved';
    request.connectCode = randomSecret(24);
    this.#remember('connect_code', request.connectCode, request);
    return request.connectCode;
  }

  deny(request: ConnectRequest): void {
    request.step = 'denied';
  }

  /**
   * Checks a completion against the request it names, for the user whose token sent it; the
   * request is used up when it passes.
   */
  complete(
    userId: string,
    attempt: {
      authSession: string;
      connectCode: string;
      redirectUri: string;
      codeVerifier?: string;
    },
  ): ConnectRequest | CompleteRefusal {
    const request = this.#bySession.get(attempt.authSession);
    // Another user's session is as unknown to this user as one that never existed.
    if (!request || request.userId !== userId) return 'unknown_session';
    if (request.expiresAt <= this.#now()) return 'expired';
    if (request.step !== 'approved' || !request.connectCode) return 'not_approved';
    if (!sameText(attempt.connectCode, request.connectCode)) return 'wrong_code';
    if (attempt.redirectUri !== request.redirectUri) return 'wrong_redirect_uri';
    if (request.codeChallenge !== undefined) {
      const challenge = createHash('sha256')
        .update(attempt.codeVerifier ?? '')
        .digest('base64url');
      if (!attempt.codeVerifier || !sameText(challenge, request.codeChallenge))
        return 'wrong_verifier';
    }
    request.step = 'completed';
    this.#bySession.delete(request.authSession);
    this.#byTicket.delete(request.ticket);
    return request;
  }
}
