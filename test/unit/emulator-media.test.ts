// The emulator's stand-in files read back by their formats' rules (no player needed here; the e2e
// suite plays video and audio in a real VS Code): MP4 boxes and the H.264 parameter sets, WAV
// headers and samples, glTF binary chunks, ZIP directories, safetensors headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from '../../src/core/png/chunks';
import { safetensors, zipOf } from '../../src/emulator/media/files';
import { renderGlb } from '../../src/emulator/media/glb';
import { renderVideoMp4, videoSize } from '../../src/emulator/media/video';
import { renderWav, WAV_SAMPLE_RATE } from '../../src/emulator/media/wav';

interface Box { type: string; start: number; end: number; body: number }

function boxes(bytes: Uint8Array, start = 0, end = bytes.length): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const out: Box[] = [];
  for (let at = start; at < end;) {
    const size = view.getUint32(at);
    assert.ok(size >= 8 && at + size <= end, `box at ${at} fits`);
    out.push({ type: String.fromCharCode(...bytes.subarray(at + 4, at + 8)), start: at, end: at + size, body: at + 8 });
    at += size;
  }
  return out;
}

function find(bytes: Uint8Array, path: string[]): Box {
  let list = boxes(bytes);
  let box: Box | undefined;
  for (const [i, type] of path.entries()) {
    box = list.find((b) => b.type === type);
    assert.ok(box, `box ${path.slice(0, i + 1).join('/')}`);
    const skip = type === 'stsd' ? 8 : 0; // stsd: version/flags + entry count, then sample entries
    const entry = type === 'avc1' ? 78 : 0; // avc1: the visual sample entry's fixed fields
    if (i < path.length - 1) list = boxes(bytes, box.body + skip + entry, box.end);
  }
  return box as Box;
}

/** Exp-Golomb reader over an RBSP (emulation-prevention bytes removed). */
function bitReader(nal: Uint8Array) {
  const rbsp: number[] = [];
  for (let i = 1, zeros = 0; i < nal.length; i++) {
    if (zeros >= 2 && nal[i] === 3) { zeros = 0; continue; }
    rbsp.push(nal[i]);
    zeros = nal[i] === 0 ? zeros + 1 : 0;
  }
  let pos = 0;
  const bit = () => (rbsp[pos >> 3] >> (7 - (pos++ & 7))) & 1;
  const bits = (n: number) => { let v = 0; for (let i = 0; i < n; i++) v = (v << 1) | bit(); return v; };
  const ue = () => { let z = 0; while (bit() === 0) z++; return (1 << z) - 1 + bits(z); };
  return { bits, ue };
}

test('video: an MP4 whose boxes, timing and H.264 parameter sets say what was asked; same input, same bytes', () => {
  const size = videoSize(1216, 832, 192);
  assert.deepEqual(size, { width: 192, height: 128 });
  const spec = { ...size, fps: 12, frames: 30, seed: 9 };
  const mp4 = renderVideoMp4(spec);
  assert.deepEqual(renderVideoMp4(spec), mp4, 'deterministic');
  assert.notDeepEqual(renderVideoMp4({ ...spec, seed: 10 }), mp4, 'the seed matters');
  assert.deepEqual(boxes(mp4).map((b) => b.type), ['ftyp', 'moov', 'mdat'], 'moov before mdat: plays while it downloads');
  const view = new DataView(mp4.buffer, mp4.byteOffset);
  const mvhd = find(mp4, ['moov', 'mvhd']);
  assert.equal(view.getUint32(mvhd.body + 12), 1000, 'movie timescale');
  assert.equal(view.getUint32(mvhd.body + 16), 2500, '30 frames at 12 fps: 2.5 s');
  const tkhd = find(mp4, ['moov', 'trak', 'tkhd']);
  assert.deepEqual([view.getUint32(tkhd.body + 76) >>> 16, view.getUint32(tkhd.body + 80) >>> 16], [192, 128]);
  const stsz = find(mp4, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsz']);
  assert.equal(view.getUint32(stsz.body + 8), 30, 'one sample per frame');
  const sizes = Array.from({ length: 30 }, (_, i) => view.getUint32(stsz.body + 12 + i * 4));
  const stco = find(mp4, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stco']);
  const mdat = boxes(mp4).find((b) => b.type === 'mdat')!;
  assert.equal(view.getUint32(stco.body + 8), mdat.body, 'the chunk offset points at the frames');
  assert.equal(sizes.reduce((a, b) => a + b, 0), mdat.end - mdat.body, 'the sample sizes add up to mdat');
  assert.ok(sizes[0] > 192 * 128 * 1.5, 'the first frame holds every sample (I_PCM)');
  assert.ok(sizes.slice(1).every((s) => s < sizes[0] / 4), 'later frames carry only what moved');

  const avcC = find(mp4, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC']);
  const spsLength = view.getUint16(avcC.body + 6);
  const sps = mp4.subarray(avcC.body + 8, avcC.body + 8 + spsLength);
  assert.equal(sps[0] & 0x1f, 7, 'an SPS NAL unit');
  const r = bitReader(sps);
  assert.equal(r.bits(8), 66, 'Baseline profile');
  r.bits(16); // constraint flags, level
  r.ue(); // sps id
  r.ue(); // log2_max_frame_num_minus4
  assert.equal(r.ue(), 2, 'pic_order_cnt_type 2');
  r.ue(); // max_num_ref_frames
  r.bits(1);
  assert.deepEqual([(r.ue() + 1) * 16, (r.ue() + 1) * 16], [192, 128], 'the SPS size matches the container');
  // The first sample is an IDR slice, the next ones non-IDR slices (4-byte length prefixes).
  assert.equal(mp4[mdat.body + 4] & 0x1f, 5);
  assert.equal(mp4[mdat.body + sizes[0] + 4] & 0x1f, 1);
});

test('audio: a PCM WAV of the asked length with a melody in it, deterministic per seed', () => {
  const wav = renderWav(1.5, 4);
  const view = new DataView(wav.buffer, wav.byteOffset);
  assert.equal(String.fromCharCode(...wav.subarray(0, 4)) + String.fromCharCode(...wav.subarray(8, 16)), 'RIFFWAVEfmt ');
  assert.equal(view.getUint32(4, true), wav.length - 8);
  assert.equal(view.getUint16(20, true), 1, 'PCM');
  assert.equal(view.getUint32(24, true), WAV_SAMPLE_RATE);
  assert.equal(view.getUint32(40, true), 1.5 * WAV_SAMPLE_RATE * 2, '1.5 s of 16-bit samples');
  let peak = 0;
  for (let i = 44; i < wav.length; i += 2) peak = Math.max(peak, Math.abs(view.getInt16(i, true)));
  assert.ok(peak > 3000 && peak < 32767, `audible, not clipped (peak ${peak})`);
  assert.deepEqual(renderWav(1.5, 4), wav);
  assert.notDeepEqual(renderWav(1.5, 5), wav);
});

test('3D: a glTF 2.0 binary with a JSON chunk and a BIN chunk that its accessors fit', () => {
  const glb = renderGlb(3);
  const view = new DataView(glb.buffer, glb.byteOffset);
  assert.equal(view.getUint32(0, true), 0x46546c67);
  assert.equal(view.getUint32(4, true), 2);
  assert.equal(view.getUint32(8, true), glb.length);
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as {
    asset: { version: string }; buffers: Array<{ byteLength: number }>; bufferViews: Array<{ byteOffset: number; byteLength: number }>;
    accessors: Array<{ bufferView: number; count: number; type: string; componentType: number }>;
  };
  assert.equal(json.asset.version, '2.0');
  const binLength = view.getUint32(20 + jsonLength, true);
  assert.equal(view.getUint32(24 + jsonLength, true), 0x004e4942, 'BIN chunk');
  assert.ok(json.buffers[0].byteLength <= binLength);
  for (const a of json.accessors) {
    const bv = json.bufferViews[a.bufferView];
    const bytesPer = (a.componentType === 5126 ? 4 : 2) * (a.type === 'VEC3' ? 3 : 1);
    assert.ok(bv.byteOffset + a.count * bytesPer <= json.buffers[0].byteLength, 'accessor within its buffer');
  }
  const indices = new Uint16Array(glb.buffer.slice(glb.byteOffset + 28 + jsonLength + json.bufferViews[2].byteOffset, glb.byteOffset + 28 + jsonLength + json.bufferViews[2].byteOffset + 72));
  assert.ok([...indices].every((i) => i < 24), 'indices name existing vertices');
});

test('files: a ZIP whose central directory and CRCs check out; a safetensors header that covers its data', () => {
  const zip = zipOf([{ name: 'a.txt', text: 'hello' }, { name: 'b/c.txt', text: 'world!' }]);
  const view = new DataView(zip.buffer, zip.byteOffset);
  const eocd = zip.length - 22;
  assert.equal(view.getUint32(eocd, true), 0x06054b50);
  assert.equal(view.getUint16(eocd + 10, true), 2);
  let at = view.getUint32(eocd + 16, true);
  for (const [name, text] of [['a.txt', 'hello'], ['b/c.txt', 'world!']]) {
    assert.equal(view.getUint32(at, true), 0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    assert.equal(new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)), name);
    const local = view.getUint32(at + 42, true);
    const data = zip.subarray(local + 30 + view.getUint16(local + 26, true), local + 30 + view.getUint16(local + 26, true) + view.getUint32(local + 18, true));
    assert.equal(new TextDecoder().decode(data), text);
    assert.equal(view.getUint32(at + 16, true), crc32(data));
    at += 46 + nameLength;
  }
  const st = safetensors({ epoch: '1' });
  const headerLength = Number(new DataView(st.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(st.subarray(8, 8 + headerLength))) as Record<string, { data_offsets?: number[] }>;
  const end = Math.max(...Object.values(header).map((t) => t.data_offsets?.[1] ?? 0));
  assert.equal(8 + headerLength + end, st.length, 'the tensors end where the file ends');
});
