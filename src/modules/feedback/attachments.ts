import { createHash } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import type { IncomingFile } from './model.ts';

/**
 * Attachments: the type is read from the bytes (never from the name or the client's
 * Content-Type), and photos lose their EXIF metadata — which holds the GPS position of
 * where the photo was taken — unless the resident chose to share it.
 */

export const ALLOWED_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf'] as const;
export type AllowedType = (typeof ALLOWED_TYPES)[number];

export interface PreparedAttachment {
  filename: string;
  contentType: AllowedType;
  data: Uint8Array;
  sha256: string;
  locationKept: boolean;
}

export function sniffType(b: Uint8Array): AllowedType | null {
  const at = (i: number, bytes: number[]) => bytes.every((v, k) => b[i + k] === v);
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  if (at(0, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (at(0, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return null;
}

/** Checks one file and returns what will be stored; throws a 4xx AppError naming the file. */
export function prepareAttachment(file: IncomingFile, maxBytes: number): PreparedAttachment {
  const filename = safeFilename(file.filename);
  if (file.data.byteLength === 0) throw new AppError('validation_failed', 400, { fields: { attachments: 'empty_file' }, filename });
  if (file.data.byteLength > maxBytes) {
    throw new AppError('payload_too_large', 413, { fields: { attachments: 'file_too_large' }, filename, maxBytes });
  }
  const type = sniffType(file.data);
  if (!type) throw new AppError('unsupported_media_type', 415, { fields: { attachments: 'unsupported_type' }, filename });
  const keep = file.keepLocation === true;
  const data = keep ? file.data : stripLocation(type, file.data);
  return { filename, contentType: type, data, sha256: createHash('sha256').update(data).digest('hex'), locationKept: keep };
}

function safeFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"<>]/g, '').trim();
  return (base || 'attachment').slice(0, 150);
}

/** Removes the metadata blocks that can carry a location; the picture itself is untouched. */
export function stripLocation(type: AllowedType, data: Uint8Array): Uint8Array {
  if (type === 'image/jpeg') return stripJpeg(data);
  if (type === 'image/png') return stripPng(data);
  if (type === 'image/webp') return stripWebp(data);
  return data;
}

/** JPEG: drops APP1 segments (EXIF and XMP, both can hold GPS). */
function stripJpeg(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return b; // not a marker where one must be: leave the file alone (it still displays)
    const marker = b[i + 1];
    // Start of scan: the rest is image data.
    if (marker === 0xda) {
      parts.push(b.subarray(i));
      return concat(parts);
    }
    const len = (b[i + 2] << 8) | b[i + 3];
    if (len < 2 || i + 2 + len > b.length) return b;
    if (marker !== 0xe1) parts.push(b.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  return concat(parts);
}

/** PNG: drops eXIf and the text chunks (iTXt can carry XMP with GPS). */
function stripPng(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const len = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
    const type = String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
    const end = i + 12 + len;
    if (end > b.length) return b;
    if (!['eXIf', 'iTXt', 'tEXt', 'zTXt'].includes(type)) parts.push(b.subarray(i, end));
    i = end;
  }
  return concat(parts);
}

/** WebP (extended format): drops EXIF and XMP chunks and clears their flags in VP8X. */
function stripWebp(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const type = String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3]);
    const len = (b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24)) >>> 0;
    const end = i + 8 + len + (len % 2);
    if (end > b.length) return b;
    if (type === 'VP8X') {
      const chunk = b.slice(i, end);
      chunk[8] &= ~(0x08 | 0x04); // EXIF and XMP present flags
      parts.push(chunk);
    } else if (type !== 'EXIF' && type !== 'XMP ') parts.push(b.subarray(i, end));
    i = end;
  }
  const body = concat(parts);
  const out = new Uint8Array(12 + body.length);
  out.set(b.subarray(0, 12));
  out.set(body, 12);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
