// Each sweep body's idempotency key comes from its content: re-running the same sweep (after a
// crash, a closed window, a lost answer) re-attaches to the workflows it started instead of paying
// again, from the CLI and the editor alike. A deliberate second run adds a suffix.
import { createHash } from 'node:crypto';

export function sweepKey(body: unknown, again?: string): string {
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
  return again ? `sweep-${digest}-${again}` : `sweep-${digest}`;
}
