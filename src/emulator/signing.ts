// Signed, expiring blob content URLs: `<base>/v2/consumer/blobs/content/<payload>.<mac>` where
// the payload names the blob and its expiry and the MAC is an HMAC-SHA256 under the emulator's
// secret. Anyone holding the URL can fetch it until it expires, as with the real service.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface BlobToken {
  blobId: string;
  /** Virtual epoch milliseconds. */
  expiresAt: number;
}

export type TokenCheck = { ok: true; token: BlobToken } | { ok: false; problem: 'malformed' | 'bad-signature' | 'expired'; token?: BlobToken };

export class BlobSigner {
  constructor(private readonly secret: string) {}

  sign(token: BlobToken): string {
    const payload = Buffer.from(JSON.stringify({ b: token.blobId, e: token.expiresAt })).toString('base64url');
    return `${payload}.${this.#mac(payload)}`;
  }

  verify(value: string, now: number): TokenCheck {
    const dot = value.indexOf('.');
    if (dot <= 0) return { ok: false, problem: 'malformed' };
    const payload = value.slice(0, dot);
    const mac = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(this.#mac(payload));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return { ok: false, problem: 'bad-signature' };
    let token: BlobToken;
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { b?: unknown; e?: unknown };
      if (typeof parsed.b !== 'string' || typeof parsed.e !== 'number') return { ok: false, problem: 'malformed' };
      token = { blobId: parsed.b, expiresAt: parsed.e };
    } catch {
      return { ok: false, problem: 'malformed' };
    }
    if (now >= token.expiresAt) return { ok: false, problem: 'expired', token };
    return { ok: true, token };
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
