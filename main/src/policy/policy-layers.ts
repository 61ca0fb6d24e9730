import type { RawConfigSource } from '../config/raw-config-source.js';
import { normaliseKey } from '../config/config-keys.js';

/** The values one policy location holds (a registry key, a managed preferences file). */
export interface PolicyLayer {
  location: string;
  values: Record<string, unknown>;
}

/**
 * One managed-policy source from layers given strongest first (HKLM before HKCU, the machine's
 * managed preferences before the user's). A key set in a stronger layer wins, compared the way the
 * config loader compares keys (`ClientId` and `client_id` are one key), so a weaker layer cannot
 * slip in a second spelling. Keys keep the spelling of the layer they came from, so a refusal
 * names the registry value or plist key IT wrote. `location` names the layers that contributed.
 */
export function combinePolicyLayers(layers: readonly PolicyLayer[]): RawConfigSource | null {
  const values: Record<string, unknown> = {};
  const taken = new Set<string>();
  const contributing: string[] = [];
  for (const layer of layers) {
    let contributed = false;
    for (const [key, value] of Object.entries(layer.values)) {
      const normalised = normaliseKey(key);
      if (taken.has(normalised)) continue;
      taken.add(normalised);
      values[key] = value;
      contributed = true;
    }
    if (contributed) contributing.push(layer.location);
  }
  if (contributing.length === 0) return null;
  return { kind: 'policy', location: contributing.join(' + '), values };
}
