/** One value line of `reg query` output. */
export interface RegistryValue {
  name: string;
  type: string;
  data: string;
}

// `    <name>    <REG_TYPE>    <data>`: four spaces around each column; data may be empty (an empty
// REG_SZ prints its type and nothing after it) and names may contain single spaces.
const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;

/**
 * The values of the key `reg query <key>` printed (without `/s`): value lines only, subkey lines
 * and the key header skipped. reg.exe prints `(Default)` for the unnamed value.
 */
export function parseRegQueryOutput(stdout: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = VALUE_LINE.exec(line);
    if (!match) continue;
    const [, name, type, data] = match as unknown as [string, string, string, string | undefined];
    values.push({ name, type, data: data ?? '' });
  }
  return values;
}

/**
 * The typed value of a registry value as reg.exe prints it: REG_DWORD/REG_QWORD (`0x1f90`) as
 * numbers, REG_SZ as text, REG_EXPAND_SZ with `%VARIABLES%` expanded (case-insensitively, as
 * Windows does; unknown ones stay as written), REG_MULTI_SZ (`a\0b`) as a list of strings. Other
 * types (REG_BINARY…) keep reg.exe's text, and the config schema refuses them.
 */
export function registryValueData(
  value: RegistryValue,
  environment: Readonly<Record<string, string | undefined>>,
): unknown {
  switch (value.type) {
    case 'REG_DWORD':
    case 'REG_QWORD':
      return /^0x[0-9a-f]+$/i.test(value.data) ? Number.parseInt(value.data, 16) : value.data;
    case 'REG_SZ':
      return value.data;
    case 'REG_EXPAND_SZ':
      return expandEnvironmentStrings(value.data, environment);
    case 'REG_MULTI_SZ':
      return value.data === '' ? [] : value.data.split('\\0');
    default:
      return value.data;
  }
}

function expandEnvironmentStrings(
  text: string,
  environment: Readonly<Record<string, string | undefined>>,
): string {
  const byUpperName = new Map(
    Object.entries(environment).map(([name, content]) => [name.toUpperCase(), content]),
  );
  return text.replace(
    /%([^%]+)%/g,
    (whole, name: string) => byUpperName.get(name.toUpperCase()) ?? whole,
  );
}
