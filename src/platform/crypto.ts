import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Every page view needs fresh random bytes (CSP nonce, CSRF token); one call into the
// CSPRNG per 4 KiB instead of per value. Each byte is handed out once, never reused.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;

/** Cryptographically strong random bytes, copied out of a pooled buffer. */
export function randomBytesPooled(n: number): Buffer {
  if (n > POOL_SIZE / 4) return randomBytes(n);
  if (poolOffset + n > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  pool.fill(0, poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/** URL-safe random token with the given bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytesPooled(bytes).toString('base64url');
}

/** Tokens (sessions, API tokens, links) are stored only as this hash. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
