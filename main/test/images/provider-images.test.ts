import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { solidPng, startImageOrigin, type ImageOrigin } from '@linkboard/testing/image-origin';
import { createImageCache } from '../../src/images/image-cache.js';
import { createProviderImages, type ProviderImages } from '../../src/images/provider-images.js';
import { sniffImageType } from '../../src/images/image-type.js';

// Main's provider images against a real HTTPS image origin on loopback (its own certificate for
// avatars.githubusercontent.com), with the cache on a real folder.

const AVATARS = 'https://avatars.githubusercontent.com';
const png = solidPng(8, [200, 40, 40]);
let origin: ImageOrigin;
let directory: string;
let warnings: Array<Record<string, unknown>>;
let images: ProviderImages;

beforeAll(async () => {
  origin = await startImageOrigin(['avatars.githubusercontent.com']);
  origin.answer('/u/1?v=4', { headers: { 'content-type': 'image/png' }, body: png });
  origin.answer('/u/html', {
    headers: { 'content-type': 'image/png' },
    body: '<html><script>alert(1)</script></html>',
  });
  origin.answer('/u/svg', {
    headers: { 'content-type': 'image/svg+xml' },
    body: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  });
  origin.answer('/u/mislabelled', { headers: { 'content-type': 'text/html' }, body: png });
  origin.answer('/u/huge', {
    headers: { 'content-type': 'image/png' },
    body: new Uint8Array([...png, ...new Uint8Array(64 * 1024)]),
  });
  origin.answer('/u/redirect', {
    status: 302,
    headers: { location: `${AVATARS}/u/1?v=4` },
    body: '',
  });
});
afterAll(() => origin.close());

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), 'linkboard-images-')), 'image-cache');
  warnings = [];
  images = createProviderImages({
    fetch: origin.fetch,
    cache: createImageCache({ directory }),
    maxBytes: 32 * 1024,
    log: { warn: (_message, fields) => void warnings.push(fields) },
  });
  images.learn([
    { connection: 'github', imageOrigins: [AVATARS] },
    { connection: 'windowslive', imageOrigins: [] },
  ]);
  origin.requests.length = 0;
});

describe('provider images', () => {
  it('fetches an image on the catalogue origin, typed by its bytes, and keeps it on disk', async () => {
    const image = await images.image('github', `${AVATARS}/u/1?v=4`);
    expect(image?.type).toBe('image/png');
    expect(image?.bytes).toEqual(png);
    const files = await readdir(directory);
    expect(files).toHaveLength(1);
    expect(new Uint8Array(await readFile(join(directory, files[0]!)))).toEqual(png);

    // The second time comes from disk, also for a fresh service (the next start).
    const again = createProviderImages({
      fetch: origin.fetch,
      cache: createImageCache({ directory }),
    });
    again.learn([{ connection: 'github', imageOrigins: [AVATARS] }]);
    expect((await again.image('github', `${AVATARS}/u/1?v=4`))?.bytes).toEqual(png);
    expect(origin.requests).toEqual(['/u/1?v=4']);
  });

  it('asks the origin once for many cells showing the same image at once', async () => {
    const all = await Promise.all(
      Array.from({ length: 5 }, () => images.image('github', `${AVATARS}/u/1?v=4`)),
    );
    expect(all.every((image) => image?.type === 'image/png')).toBe(true);
    expect(origin.requests).toEqual(['/u/1?v=4']);
  });

  it.each([
    ['HTML labelled as PNG', '/u/html', 'not a PNG, JPEG, GIF or WebP'],
    ['an SVG (it can carry script)', '/u/svg', 'not a PNG, JPEG, GIF or WebP'],
    ['a PNG labelled as HTML', '/u/mislabelled', 'not labelled as an image'],
    ['an image over the size bound', '/u/huge', 'too large'],
    ['a redirect (not followed)', '/u/redirect', 'status 302'],
    ['a missing image', '/u/none', 'status 404'],
  ])('refuses %s, keeps nothing and logs the reason', async (_what, path, reason) => {
    expect(await images.image('github', `${AVATARS}${path}`)).toBeNull();
    expect(warnings).toEqual([{ connection: 'github', reason, origin: AVATARS }]);
    expect(await readdir(directory).catch(() => [])).toEqual([]);
  });

  it.each([
    ['another origin', 'github', 'https://evil.example/u/1', 'origin'],
    ['plain http', 'github', 'http://avatars.githubusercontent.com/u/1?v=4', 'scheme'],
    ['a data URL', 'github', 'data:image/png;base64,AAAA', 'scheme'],
    [
      'credentials',
      'github',
      'https://user:pw@avatars.githubusercontent.com/u/1',
      'credentials in URL',
    ],
    ['a connection with no image origin', 'windowslive', `${AVATARS}/u/1?v=4`, 'origin'],
  ])('refuses %s without asking the network', async (_what, connection, url, reason) => {
    expect(await images.image(connection, url)).toBeNull();
    expect(warnings[0]?.reason).toBe(reason);
    expect(origin.requests).toEqual([]);
  });

  it('refuses every image of a connection the catalogue does not name', async () => {
    expect(await images.image('gitlab', `${AVATARS}/u/1?v=4`)).toBeNull();
    expect(origin.requests).toEqual([]);
  });

  it('forgets every kept image on clear', async () => {
    await images.image('github', `${AVATARS}/u/1?v=4`);
    await images.clear();
    expect(await readdir(directory).catch(() => 'gone')).toBe('gone');
  });
});

describe('image cache', () => {
  it('keeps at most maxEntries images, dropping the oldest written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linkboard-image-cache-'));
    const cache = createImageCache({ directory: dir, maxEntries: 2 });
    await cache.put('https://a/1', png);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.put('https://a/2', png);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.put('https://a/3', png);
    expect(await cache.get('https://a/1')).toBeNull();
    expect(await cache.get('https://a/3')).toEqual(png);
    expect(await readdir(dir)).toHaveLength(2);
    await rm(dir, { recursive: true, force: true });
  });

  it('does not answer with an image older than maxAgeMs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linkboard-image-cache-'));
    let now = Date.now();
    const cache = createImageCache({ directory: dir, maxAgeMs: 1000, now: () => now });
    await cache.put('https://a/1', png);
    expect(await cache.get('https://a/1')).toEqual(png);
    now += 5000;
    expect(await cache.get('https://a/1')).toBeNull();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('image type sniffing', () => {
  const ascii = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));
  it.each([
    [png, 'image/png'],
    [new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'image/jpeg'],
    [ascii('GIF89a....'), 'image/gif'],
    [ascii('RIFF\0\0\0\0WEBPVP8 '), 'image/webp'],
    [ascii('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    [ascii('RIFF\0\0\0\0WAVEfmt '), null],
    [new Uint8Array([0x89, 0x50]), null],
  ])('sniffs %#', (bytes, type) => {
    expect(sniffImageType(bytes)).toBe(type);
  });
});
