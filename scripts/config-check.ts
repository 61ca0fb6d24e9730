/**
 * `npm run config:check -- POLICY_FILE [options]`: runs the app's configuration loader on a
 * managed-policy JSON file (the content of /etc/linkboard/policy.json, or the same keys as a
 * registry or plist policy), so IT can check a policy before rollout.
 *
 * Exit 0: accepted; prints the effective value and source of each key. Exit 78 (EX_CONFIG): refused,
 * with the message the app would show (a secret-named key names the file and the key). Keys the
 * file leaves unset are listed; with `--complete` a missing required key is a refusal too.
 *
 * Options, to check what a given machine would see: `--user-settings FILE` (the user's
 * settings.json), `--environment` (this process's LINKBOARD_* variables), `--development` (a
 * development build's rules), and any `--key=value` after `--` (as the app's command line).
 */
import {
  CONFIG_REFUSED_EXIT_CODE,
  ConfigRefusal,
  commandLineSource,
  environmentSource,
  readJsonConfigFile,
  resolveConfigSources,
  type RawConfigSource,
} from '../main/src/services/index.js';

const USAGE =
  'usage: npm run config:check -- POLICY_FILE [--user-settings FILE] [--environment] [--development] [--complete] [-- --key=value ...]';

function refuse(message: string): never {
  console.error(message);
  process.exit(CONFIG_REFUSED_EXIT_CODE);
}

const args = process.argv.slice(2);
const separator = args.indexOf('--');
const own = separator >= 0 ? args.slice(0, separator) : args;
const commandLine = separator >= 0 ? args.slice(separator + 1) : [];

let policyFile: string | undefined;
let userSettingsFile: string | undefined;
let includeEnvironment = false;
let isDevelopment = false;
let complete = false;
for (let index = 0; index < own.length; index += 1) {
  const argument = own[index];
  if (argument === '--user-settings') userSettingsFile = own[++index];
  else if (argument === '--environment') includeEnvironment = true;
  else if (argument === '--development') isDevelopment = true;
  else if (argument === '--complete') complete = true;
  else if (argument && !argument.startsWith('--') && policyFile === undefined)
    policyFile = argument;
  else {
    console.error(USAGE);
    process.exit(64);
  }
}
if (!policyFile) {
  console.error(USAGE);
  process.exit(64);
}

const sources: RawConfigSource[] = [];
try {
  const policy = await readJsonConfigFile(policyFile, 'policy');
  if (!policy) {
    console.error(`config:check: ${policyFile} does not exist`);
    process.exit(66);
  }
  sources.push(policy);
  if (userSettingsFile) {
    const user = await readJsonConfigFile(userSettingsFile, 'user');
    if (user) sources.push(user);
  }
} catch (error) {
  if (error instanceof ConfigRefusal) refuse(error.message);
  throw error;
}
if (commandLine.length > 0) sources.push(commandLineSource(commandLine));
if (includeEnvironment) sources.push(environmentSource(process.env));

const result = resolveConfigSources(sources, { isDevelopment });
if (!result.ok) refuse(result.error.message);
const { config, locations, ignoredKeys, missing } = result.value;

if (complete && missing.length > 0) {
  refuse(
    `Linkboard will not start with this configuration: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.`,
  );
}

console.log(`${policyFile}: accepted.`);
for (const [key, value] of Object.entries(config)) {
  console.log(`  ${key} = ${JSON.stringify(value)}  (${locations[key as keyof typeof locations]})`);
}
for (const key of missing)
  console.log(`  ${key}: not set here; user settings or the environment must set it`);
for (const { location, key } of ignoredKeys)
  console.warn(`warning: ${location}: "${key}" is not a Linkboard setting and is ignored`);
