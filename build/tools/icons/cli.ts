// `npm run icons`: renders build/icon.svg into every icon file the installers use.
import { fileURLToPath } from 'node:url';
import { writeIconFiles } from './generate-icons.js';

const buildDir = fileURLToPath(new URL('../..', import.meta.url));
for (const file of await writeIconFiles(buildDir)) console.log(`build/${file}`);
