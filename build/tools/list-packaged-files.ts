// `npx tsx build/tools/list-packaged-files.ts [win|mac|linux]`: prints, one per line, the files
// electron-builder.yml packages into the app archive (see packaged-files.ts).
import { fileURLToPath } from 'node:url';
import { resolvePackagedFiles, type BuilderPlatform } from './packaged-files.js';

const platform = process.argv[2] as BuilderPlatform | undefined;
if (platform !== undefined && !['win', 'mac', 'linux'].includes(platform)) {
  process.stderr.write('usage: list-packaged-files.ts [win|mac|linux]\n');
  process.exit(64);
}
const files = await resolvePackagedFiles({
  projectDir: fileURLToPath(new URL('../..', import.meta.url)),
  ...(platform ? { platforms: [platform] } : {}),
});
process.stdout.write(files.map((file) => `${file}\n`).join(''));
