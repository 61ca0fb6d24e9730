import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { rendererBuildDir, rendererViteConfig, repoRoot } from './paths.js';

/**
 * Builds the real renderer with its own Vite config (the production bundle main serves) into
 * `out/e2e/renderer`, leaving the app's own `out/renderer` alone. In a child process: a Vite build
 * in the process that then drives Chromium left page screenshots failing ("Unable to capture").
 */
export async function buildRenderer(): Promise<string> {
  const require = createRequire(import.meta.url);
  const viteCli = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [viteCli, 'build', '-c', rendererViteConfig, '--outDir', rendererBuildDir];
  args.push('--emptyOutDir', '--logLevel', 'warn');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'pipe' });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`the renderer build failed (exit ${code}):\n${output.join('')}`);
  return rendererBuildDir;
}
