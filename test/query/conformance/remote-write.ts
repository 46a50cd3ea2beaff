/**
 * A minimal Prometheus remote-write client for tests: `WriteRequest` protobuf, snappy block framing
 * (literals only, which every snappy decoder accepts) and the protocol headers. Unlike OpenMetrics
 * backfilling, remote write can carry staleness markers, written here bit for bit.
 */
import type { Labels } from '../../../src/query/labels.js';

export type WriteValue = number | 'stale';

export interface WriteSeries {
  readonly labels: Labels;
  readonly samples: readonly (readonly [number, WriteValue])[];
}

class Proto {
  readonly bytes: number[] = [];

  varint(v: number): this {
    let n = v;
    while (n >= 0x80) {
      this.bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.bytes.push(n);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }

  message(field: number, body: Proto): this {
    this.tag(field, 2).varint(body.bytes.length);
    for (const b of body.bytes) this.bytes.push(b);
    return this;
  }

  string(field: number, s: string): this {
    const utf8 = Buffer.from(s, 'utf8');
    this.tag(field, 2).varint(utf8.length);
    for (const b of utf8) this.bytes.push(b);
    return this;
  }

  /** A double given as its 8 bytes, little-endian. */
  fixed64(field: number, value: WriteValue): this {
    const buf = Buffer.alloc(8);
    if (value === 'stale') {
      buf.writeUInt32LE(0x00000002, 0);
      buf.writeUInt32LE(0x7ff00000, 4);
    } else {
      buf.writeDoubleLE(value, 0);
    }
    this.tag(field, 1);
    for (const b of buf) this.bytes.push(b);
    return this;
  }
}

export function encodeWriteRequest(series: readonly WriteSeries[]): Buffer {
  const req = new Proto();
  for (const s of series) {
    const ts = new Proto();
    for (const l of s.labels) ts.message(1, new Proto().string(1, l.name).string(2, l.value));
    for (const [t, v] of s.samples) ts.message(2, new Proto().fixed64(1, v).tag(2, 0).varint(t));
    req.message(1, ts);
  }
  return Buffer.from(req.bytes);
}

/** Snappy block format with literal elements only. */
export function snappyLiterals(data: Buffer): Buffer {
  const out: number[] = [];
  let n = data.length;
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  for (let i = 0; i < data.length; i += 65536) {
    const chunk = data.subarray(i, Math.min(data.length, i + 65536));
    const len = chunk.length - 1;
    out.push(61 << 2, len & 0xff, len >> 8);
    for (const b of chunk) out.push(b);
  }
  return Buffer.from(out);
}

export async function remoteWrite(baseUrl: string, series: readonly WriteSeries[]): Promise<void> {
  const res = await fetch(`${baseUrl}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: snappyLiterals(encodeWriteRequest(series)),
  });
  if (res.status !== 204 && res.status !== 200)
    throw new Error(`remote write: ${res.status} ${await res.text()}`);
}
