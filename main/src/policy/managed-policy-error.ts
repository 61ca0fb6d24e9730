import { ConfigRefusal } from '../errors/config-refusal.js';

/**
 * A managed policy exists but cannot be trusted or read. The app must not start with it ignored
 * (an organisation's settings would silently not apply, or a planted file would) and must not start
 * with it applied: main shows the message and exits, like a refused configuration.
 */
export type ManagedPolicyProblem =
  | 'not_owned_by_root'
  | 'writable_by_others'
  | 'symbolic_link'
  | 'not_a_regular_file'
  | 'unsafe_directory'
  | 'too_large'
  | 'malformed'
  | 'unreadable';

export class ManagedPolicyError extends ConfigRefusal {
  readonly code = 'managed_policy_refused';

  constructor(
    readonly location: string,
    readonly problem: ManagedPolicyProblem,
    reason: string,
  ) {
    super(
      `Linkboard will not start: the managed policy at ${location} was refused: ${reason}. ` +
        'Ask your IT department to fix it.',
    );
    this.name = 'ManagedPolicyError';
  }
}
