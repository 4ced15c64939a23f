// The API token check: `Authorization: Bearer TOKEN`, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer TOKEN` header, or null when the header is absent or of another scheme. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? (m[1] as string) : null;
}

/** A function that tells whether a presented token is `token`, in time that does not depend on where they differ. */
export function tokenMatcher(token: string): (presented: string | null | undefined) => boolean {
  // comparing digests gives equal lengths, so timingSafeEqual never throws and the length leaks nothing
  const expected = createHash('sha256').update(token).digest();
  return (presented) => typeof presented === 'string' && timingSafeEqual(createHash('sha256').update(presented).digest(), expected);
}
