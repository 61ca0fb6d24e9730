// compose.yaml's brokers: the broker image's bundle, started with the settings the sandbox service
// published (sandbox-for-fleet.ts). Variables compose sets itself (PORT, HOST, REDIS_URL) win.
// Plain JavaScript: the image has Node and the bundle, nothing to run TypeScript with.
import { existsSync, readFileSync } from 'node:fs';

const settingsFile = process.env.BROKER_ENV_FILE ?? '/run/stack/broker-env.json';
const bundle = process.env.BROKER_BUNDLE ?? '/app/dist/server/broker.mjs';
const deadline = Date.now() + 60_000;
while (!existsSync(settingsFile)) {
  if (Date.now() > deadline) {
    console.error(`broker: no ${settingsFile} from the sandbox after 60 s`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
for (const [name, value] of Object.entries(settings)) process.env[name] ??= value;
await import(bundle);
