import { describe, expect, it } from 'vitest';
import { compileCatalogue } from '../src/catalogue/compiled-provider.js';
import { loadCatalogue } from '../src/catalogue/load-catalogue.js';
import { CheckedTargets, type TargetAudit } from '../src/proxy/checked-targets.js';
import { refusalCode } from './support/refusal-code.js';

const { catalogue } = loadCatalogue({
  apiBaseUrls: { github: 'http://127.0.0.1:9/_idp/github' },
  tokenUrls: {},
});
const providers = compileCatalogue(catalogue);

describe('checked proxy targets', () => {
  it('gives the pinned upstream target, split as undici sends it, and fills the audit', () => {
    const audit: TargetAudit = {};
    const target = new CheckedTargets(providers).check(
      'GET',
      '/v1/idp/github/user/repos?per_page=5&page=2',
      audit,
    );
    expect(target.upstream).toEqual({
      origin: 'http://127.0.0.1:9',
      path: '/_idp/github/user/repos?per_page=5&page=2',
    });
    expect(target.encodedPath).toBe('/user/repos');
    expect(target.search).toBe('per_page=5&page=2');
    expect(audit).toEqual({ connection: 'github', pattern: '/user/repos' });
  });

  it('keeps a target that passed, and says the same in the audit when it is reused', () => {
    const targets = new CheckedTargets(providers);
    const first = targets.check('GET', '/v1/idp/github/user', {});
    const audit: TargetAudit = {};
    expect(targets.check('GET', '/v1/idp/github/user', audit)).toBe(first);
    expect(audit).toEqual({ connection: 'github', pattern: '/user' });
  });

  it('checks any other method or URL in full, however close to a kept one', () => {
    const targets = new CheckedTargets(providers);
    targets.check('GET', '/v1/idp/github/repos/alice/linkboard', {});
    targets.check('GET', '/v1/idp/github/user/repos', {});
    // The same URL with a method its pattern does not allow.
    const audit: TargetAudit = {};
    expect(
      refusalCode(() => targets.check('DELETE', '/v1/idp/github/repos/alice/linkboard', audit)),
    ).toBe('method_not_allowed');
    expect(audit).toEqual({ connection: 'github' });
    // One encoded byte more, a dot segment, a query parameter the call does not list.
    expect(refusalCode(() => targets.check('GET', '/v1/idp/github/repos/alice%2f..', {}))).toBe(
      'path_not_allowed',
    );
    expect(refusalCode(() => targets.check('GET', '/v1/idp/github/user/repos/..', {}))).toBe(
      'path_not_allowed',
    );
    expect(
      refusalCode(() => targets.check('GET', '/v1/idp/github/user/repos?access_token=x', {})),
    ).toBe('invalid_request');
  });

  it('keeps long URLs within a bound on their text, not only on their number', () => {
    const targets = new CheckedTargets(providers);
    // 3,000 characters of path each: 200 of them are about 1.8 million characters with their
    // upstream paths, past what is kept, though far fewer than the 4,096 targets kept at most.
    const long = (index: number) =>
      `/v1/idp/github/repos/o/r/contents/${'a'.repeat(3000)}-${index}`;
    const first = targets.check('GET', long(0), {});
    expect(targets.check('GET', long(0), {})).toBe(first);
    for (let index = 1; index < 200; index += 1) targets.check('GET', long(index), {});
    expect(targets.check('GET', long(199), {})).toBe(targets.check('GET', long(199), {}));
    expect(targets.check('GET', long(0), {})).not.toBe(first);
  });

  it('keeps no refusal: a URL refused once is refused again', () => {
    const targets = new CheckedTargets(providers);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(refusalCode(() => targets.check('GET', '/v1/idp/github/admin', {}))).toBe(
        'path_not_allowed',
      );
      expect(refusalCode(() => targets.check('GET', '/v1/idp/nowhere/user', {}))).toBe(
        'provider_unknown',
      );
    }
  });
});
