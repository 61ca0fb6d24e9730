import { buildRenderer } from './build-renderer.js';

/** Once per run, before any journey: the real renderer's production bundle. */
export default async function setup(): Promise<void> {
  await buildRenderer();
}
