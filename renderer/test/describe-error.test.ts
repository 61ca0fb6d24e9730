import { IpcErrorCode } from '@linkboard/contract/ipc';
import { describe, expect, it } from 'vitest';
import { LinkboardError } from '../src/api/linkboard-error';
import { describeError as describeIn, type ErrorContext } from '../src/errors/describe-error';
import { english } from './helpers/english';

/** The description the English UI shows. */
const describeError = (error: unknown, context: ErrorContext = {}) =>
  describeIn(error, context, english);

const error = (
  code: LinkboardError['code'],
  extra: { retryAfter?: number; requestId?: string } = {},
) => new LinkboardError({ code, message: `upstream says ${code}.`, ...extra });

describe('describeError', () => {
  it('tells the user to reconnect an expired provider link', () => {
    const description = describeError(error('idp_reauth_required'), { providerName: 'GitHub' });
    expect(description.title).toBe(
      'Your GitHub link has expired — sign in with GitHub again to reconnect it',
    );
    expect(description.action).toBe('retry');
  });

  it.each(['broker_unreachable', 'upstream_unavailable'] as const)(
    'offers a retry when the service cannot be reached (%s)',
    (code) => {
      const description = describeError(error(code), { providerName: 'GitHub' });
      expect(description.title).toBe("Linkboard can't reach its service right now");
      expect(description.action).toBe('retry');
    },
  );

  it('says whose side an unreachable service is on, and who to tell when it lasts', () => {
    expect(describeError(error('upstream_unavailable'), { providerName: 'GitHub' }).detail).toBe(
      "GitHub isn't answering Linkboard's service. Try again in a moment.",
    );
    // The broker itself may be down, which the user's network cannot fix.
    expect(describeError(error('broker_unreachable')).detail).toBe(
      'Check your network connection, then try again. If it keeps happening, tell your administrator.',
    );
  });

  it('says how long to wait when rate limited', () => {
    const description = describeError(error('upstream_rate_limited', { retryAfter: 30 }), {
      providerName: 'GitHub',
    });
    expect(description).toMatchObject({ action: 'wait-and-retry', retryAfter: 30 });
    expect(description.detail).toContain('Wait 30 seconds');
  });

  it('explains an identity that is not linked, and one without a token', () => {
    expect(describeError(error('identity_not_linked'), { providerName: 'Google' }).title).toBe(
      "Google isn't linked to your account",
    );
    const unavailable = describeError(error('idp_token_unavailable'), { providerName: 'Google' });
    expect(unavailable.title).toBe('No Google access is available for your account');
    expect(unavailable.action).toBe('none');
  });

  it('says a view is not allowed without offering a pointless retry', () => {
    expect(describeError(error('path_not_allowed')).action).toBe('none');
  });

  it('says something went wrong, with the message and the request id to quote', () => {
    const description = describeError(error('upstream_error', { requestId: 'req-42' }));
    expect(description.title).toBe('Something went wrong');
    expect(description.detail).toContain('upstream says upstream_error.');
    expect(description.reference).toBe('Request id req-42');
    expect(description.action).toBe('retry');
  });

  it('treats a failure that is not from the bridge as the sign-in service being unreachable', () => {
    const description = describeError(new TypeError('Failed to fetch'));
    expect(description.title).toBe("Linkboard can't reach your organisation's sign-in service");
    expect(description.action).toBe('retry');
  });

  it('has words of its own for every code of the contract', () => {
    const codes = IpcErrorCode.options.flatMap((option) => option.options);
    expect(codes).toContain('upstream_error');
    expect(codes).toContain('url_not_allowed');
    for (const code of codes) {
      const description = describeError(error(code, { requestId: 'req-1' }), {
        providerName: 'GitHub',
      });
      expect(description.code, code).toBe(code);
      expect(description.title, code).not.toBe('');
      expect(description.detail, code).not.toBe('');
    }
  });
});
