import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/observability/logger.js';

describe('broker logger', () => {
  it('blanks credentials wherever they appear in a logged object', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer user-token-1', cookie: 'a=b' } },
        headers: { authorization: 'Bearer user-token-2' },
        answer: { access_token: 'idp-token-3', refresh_token: 'refresh-4', id_token: 'id-5' },
        client: { client_secret: 'secret-6', clientSecret: 'secret-7' },
        identity: { accessToken: 'idp-token-8', refreshToken: 'refresh-9' },
        token: 'bare-10',
      },
      'something happened',
    );
    expect(lines).toHaveLength(1);
    for (const value of [
      'user-token-1',
      'a=b',
      'user-token-2',
      'idp-token-3',
      'refresh-4',
      'id-5',
      'secret-6',
      'secret-7',
      'idp-token-8',
      'refresh-9',
      'bare-10',
    ]) {
      expect(lines[0]).not.toContain(value);
    }
    expect(lines[0]).toContain('[redacted]');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'something happened',
      service: 'linkboard-broker',
    });
  });
});
