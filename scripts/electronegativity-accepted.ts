import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The accepted-findings file (main/electronegativity-accepted.json): every finding the gate lets
 * through is listed by check id and file, with the reason it is safe there. An entry without a
 * real reason is refused, so the list cannot become a silent allow-list.
 */
const MIN_REASON_LENGTH = 20;

const acceptedEntry = z.strictObject({
  id: z.string().regex(/^[A-Z0-9_]+$/, 'a check id such as PRELOAD_JS_CHECK'),
  file: z.string().min(1),
  reason: z
    .string()
    .trim()
    .min(
      MIN_REASON_LENGTH,
      `needs its reason: why this finding is safe here (at least ${MIN_REASON_LENGTH} characters)`,
    ),
});

export type AcceptedFinding = z.infer<typeof acceptedEntry>;

export class AcceptedListError extends Error {}

/** Reads and checks the list; throws AcceptedListError naming each bad entry. */
export function readAcceptedList(file: string): AcceptedFinding[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AcceptedListError(`${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  const result = z.array(acceptedEntry).safeParse(parsed);
  if (result.success) return result.data;
  const entries = Array.isArray(parsed) ? (parsed as unknown[]) : [];
  const problems = result.error.issues.map((issue) => {
    const [index, field] = issue.path;
    const entry = typeof index === 'number' ? entries[index] : undefined;
    const named =
      entry && typeof entry === 'object'
        ? `${String((entry as { id?: unknown }).id)} in ${String((entry as { file?: unknown }).file)}`
        : '';
    const where =
      typeof index === 'number' ? `entry ${index}${named ? ` (${named})` : ''}` : 'the list';
    return `${where}${field === undefined ? '' : `, ${String(field)}`}: ${issue.message}`;
  });
  throw new AcceptedListError(`${file} is not a valid accepted list:\n  ${problems.join('\n  ')}`);
}
