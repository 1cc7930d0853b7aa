// Idempotency keys (`externalId` on the workflow body). The contract: 1–128 characters of
// [A-Za-z0-9_-]; a second submission with the same key returns the existing workflow instead
// of creating (and charging) a new one.
import { randomBytes } from 'node:crypto';

export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function isValidExternalId(value: unknown): value is string {
  return typeof value === 'string' && EXTERNAL_ID_PATTERN.test(value);
}

/** A fresh key: a readable prefix plus 128 random bits (base64url), 35 characters. */
export function generateExternalId(prefix = 'cw'): string {
  return `${prefix}-${randomBytes(16).toString('base64url')}`;
}

/**
 * The key a submission will use: the explicit option, else the body's own valid `externalId`,
 * else a new one. Returns the body to send (with the key set) and the key.
 */
export function withExternalId(
  body: Record<string, unknown>,
  explicit?: string,
): { body: Record<string, unknown>; externalId: string } {
  if (explicit !== undefined && !isValidExternalId(explicit)) {
    throw new TypeError('externalId must be 1-128 characters of A-Z, a-z, 0-9, "_" or "-"');
  }
  const fromBody = isValidExternalId(body.externalId) ? body.externalId : undefined;
  const externalId = explicit ?? fromBody ?? generateExternalId();
  return { body: { ...body, externalId }, externalId };
}

/**
 * The body for a `whatif` preview: never carries an idempotency key, because the service treats
 * a prior whatif with the same key as the existing workflow and would answer the real
 * submission with the estimate instead of running it.
 */
export function withoutExternalId(body: Record<string, unknown>): Record<string, unknown> {
  const { externalId: _dropped, ...rest } = body;
  return rest;
}
