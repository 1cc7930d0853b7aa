// Small stand-in files: a safetensors file (a trained "LoRA" of one tiny tensor) and a ZIP archive
// (stored, not compressed). Both are real formats their usual tools open.
import { crc32 } from '../../core/png/chunks';

const encoder = new TextEncoder();

/** A safetensors file: 8-byte header length, JSON header, then the tensor data (16 float32 zeros). */
export function safetensors(metadata: Record<string, string>): Uint8Array {
  const header = encoder.encode(JSON.stringify({
    __metadata__: metadata,
    'lora_unet.emulator.alpha': { dtype: 'F32', shape: [4, 4], data_offsets: [0, 64] },
  }));
  const padded = Math.ceil(header.length / 8) * 8;
  const out = new Uint8Array(8 + padded + 64).fill(0x20, 8, 8 + padded);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(header, 8);
  out.fill(0, 8 + padded);
  return out;
}

/** A ZIP of text files, stored uncompressed. */
export function zipOf(files: ReadonlyArray<{ name: string; text: string }>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const file of files) {
    const name = encoder.encode(file.name);
    const data = encoder.encode(file.text);
    const crc = crc32(data);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, 0, true); // stored
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const entry = new Uint8Array(46 + name.length);
    const cv = new DataView(entry.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    entry.set(name, 46);
    parts.push(local, data);
    central.push(entry);
    offset += local.length + data.length;
  }
  const centralSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
