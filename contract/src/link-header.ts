/**
 * RFC 8288 `Link` header values, read by one linear scan (no regular expression), so a hostile
 * header cannot make parsing slow: every step moves forward, and a header longer than
 * `MAX_LINK_HEADER_LENGTH` is not read at all. Shared by every part that reads `Link`.
 */

/** Longest `Link` header read; real paging headers are a few hundred characters. */
export const MAX_LINK_HEADER_LENGTH = 8192;
/** Links read from one header, and parameters from one link; real ones have a handful. */
const MAX_LINKS = 64;
const MAX_PARAMS = 32;

/** One link: its target as written (not resolved), its parameters in order, its relation types. */
export interface LinkValue {
  target: string;
  params: Array<[name: string, value: string]>;
  /** The first `rel` parameter's relation types, lower-cased (later `rel`s are ignored). */
  rel: string[];
}

const TOKEN_SYMBOLS = new Set([..."!#$%&'*+-.^_`|~"].map((char) => char.charCodeAt(0)));

/** RFC 9110 `tchar`. */
function isTokenChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    TOKEN_SYMBOLS.has(code)
  );
}

function isSpace(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * The links of a `Link` header, in order (at most 64); an element that is not well formed, or has
 * more than 32 parameters, is skipped up to the next comma. `undefined` when the header is longer
 * than `MAX_LINK_HEADER_LENGTH`.
 */
export function parseLinkHeader(header: string): LinkValue[] | undefined {
  if (header.length > MAX_LINK_HEADER_LENGTH) return undefined;
  const links: LinkValue[] = [];
  const end = header.length;
  let i = 0;
  const skipSpaces = () => {
    while (isSpace(header.charCodeAt(i))) i += 1;
  };
  /** Moves past the next comma outside a quoted string (or to the end): the element is dropped. */
  const skipElement = () => {
    let quoted = false;
    for (; i < end; i += 1) {
      const char = header[i];
      if (quoted && char === '\\') i += 1;
      else if (char === '"') quoted = !quoted;
      else if (!quoted && char === ',') break;
    }
    i += 1;
  };
  const readToken = () => {
    const start = i;
    while (i < end && isTokenChar(header.charCodeAt(i))) i += 1;
    return header.slice(start, i);
  };
  const readQuoted = (): string | undefined => {
    i += 1; // the opening quote
    let value = '';
    for (; i < end; i += 1) {
      const char = header[i];
      if (char === '"') {
        i += 1;
        return value;
      }
      if (char === '\\') i += 1;
      if (i < end) value += header[i];
    }
    return undefined; // never closed
  };

  while (i < end && links.length < MAX_LINKS) {
    skipSpaces();
    if (header[i] === ',') {
      i += 1;
      continue;
    }
    if (i >= end) break;
    if (header[i] !== '<') {
      skipElement();
      continue;
    }
    const close = header.indexOf('>', i + 1);
    if (close === -1) break;
    const link: LinkValue = { target: header.slice(i + 1, close), params: [], rel: [] };
    i = close + 1;
    let wellFormed = true;
    let relSeen = false;
    for (let count = 0; ; count += 1) {
      skipSpaces();
      if (i >= end || header[i] === ',') break;
      if (header[i] !== ';' || count === MAX_PARAMS) {
        wellFormed = false;
        break;
      }
      i += 1;
      skipSpaces();
      const name = readToken().toLowerCase();
      if (name === '') {
        if (i >= end || header[i] === ',' || header[i] === ';') continue; // an empty parameter
        wellFormed = false;
        break;
      }
      skipSpaces();
      let value = '';
      if (header[i] === '=') {
        i += 1;
        skipSpaces();
        if (header[i] === '"') {
          const quoted = readQuoted();
          if (quoted === undefined) {
            wellFormed = false;
            break;
          }
          value = quoted;
        } else {
          value = readToken();
        }
      }
      link.params.push([name, value]);
      if (name === 'rel' && !relSeen) {
        relSeen = true;
        link.rel = value
          .toLowerCase()
          .split(/[ \t]+/)
          .filter(Boolean);
      }
    }
    if (wellFormed) links.push(link);
    else skipElement();
  }
  return links;
}

/** One link written back as a `Link` element: `<target>; name="value"`, values quoted. */
export function formatLinkValue(target: string, params: LinkValue['params']): string {
  const written = params.map(([name, value]) =>
    value === '' ? `; ${name}` : `; ${name}="${value.replace(/["\\]/g, '\\$&')}"`,
  );
  return `<${target}>${written.join('')}`;
}

/** The target of the first link whose relation types include `rel` (e.g. `next`), if any. */
export function linkTarget(header: string | undefined, rel: string): string | undefined {
  if (!header) return undefined;
  return parseLinkHeader(header)?.find((link) => link.rel.includes(rel))?.target;
}
