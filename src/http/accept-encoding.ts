/**
 * Whether a client accepts gzip, from `Accept-Encoding` (RFC 9110 §12.5.3): `gzip` or `*` with a q above 0,
 * unless `gzip` itself is refused with `q=0`. A malformed header means "no compression", never an error.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (typeof value !== 'string' || value === '') return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of value.split(',', 32)) {
    const [coding, ...params] = part.split(';');
    const name = coding.trim().toLowerCase();
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m !== null) q = Number(m[1]);
    }
    if (!Number.isFinite(q)) q = 0;
    if (name === 'gzip' || name === 'x-gzip') gzip = q;
    else if (name === '*') star = q;
  }
  return gzip !== undefined ? gzip > 0 : star !== undefined && star > 0;
}
