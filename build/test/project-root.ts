import { fileURLToPath } from 'node:url';

/** The repository root, whatever directory the tests run from. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
