// The smallest MP4 (ISO BMFF) that players accept for one H.264 track: ftyp, then moov (so it
// plays before it has fully arrived), then mdat with every frame in one chunk.
import type { H264Stream } from './h264';

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Big-endian fields: [value, byte width] pairs, or raw bytes. */
function fields(...items: Array<[number, 1 | 2 | 4] | Uint8Array | string>): Uint8Array {
  const chunks: number[] = [];
  for (const item of items) {
    if (typeof item === 'string') for (const c of item) chunks.push(c.charCodeAt(0));
    else if (item instanceof Uint8Array) for (const b of item) chunks.push(b);
    else {
      const [value, width] = item;
      for (let i = width - 1; i >= 0; i--) chunks.push(Math.floor(value / 2 ** (8 * i)) & 0xff);
    }
  }
  return Uint8Array.from(chunks);
}

const fullBox = (type: string, version: number, flags: number, ...parts: Uint8Array[]): Uint8Array =>
  box(type, fields([version, 1], [flags >>> 16, 1], [flags & 0xffff, 2]), ...parts);

const MATRIX = fields([0x00010000, 4], [0, 4], [0, 4], [0, 4], [0x00010000, 4], [0, 4], [0, 4], [0, 4], [0x40000000, 4]);

/** An MP4 file of the stream at `fps` frames per second. */
export function muxMp4(stream: H264Stream, width: number, height: number, fps: number): Uint8Array {
  const samples = stream.frames.map((f) => fields([f.length, 4], f));
  const frameCount = samples.length;
  const durationMs = Math.round((frameCount / fps) * 1000);

  const avcC = box('avcC', fields(
    [1, 1], [stream.profile, 1], [0xc0, 1], [stream.level, 1], [0xff, 1],
    [0xe1, 1], [stream.sps.length, 2], stream.sps,
    [1, 1], [stream.pps.length, 2], stream.pps,
  ));
  const avc1 = box('avc1',
    fields([0, 4], [0, 2], [1, 2], [0, 2], [0, 2], [0, 4], [0, 4], [0, 4], [width, 2], [height, 2],
      [0x00480000, 4], [0x00480000, 4], [0, 4], [1, 2], new Uint8Array(32), [0x18, 2], [0xffff, 2]),
    avcC);

  const stbl = (chunkOffset: number): Uint8Array => box('stbl',
    fullBox('stsd', 0, 0, fields([1, 4]), avc1),
    fullBox('stts', 0, 0, fields([1, 4], [frameCount, 4], [1, 4])),
    fullBox('stss', 0, 0, fields([1, 4], [1, 4])),
    fullBox('stsc', 0, 0, fields([1, 4], [1, 4], [frameCount, 4], [1, 4])),
    fullBox('stsz', 0, 0, fields([0, 4], [frameCount, 4], ...samples.map((s): [number, 4] => [s.length, 4]))),
    fullBox('stco', 0, 0, fields([1, 4], [chunkOffset, 4])),
  );
  const moov = (chunkOffset: number): Uint8Array => box('moov',
    fullBox('mvhd', 0, 0, fields([0, 4], [0, 4], [1000, 4], [durationMs, 4], [0x00010000, 4], [0x0100, 2], [0, 2], [0, 4], [0, 4]), MATRIX, new Uint8Array(24), fields([2, 4])),
    box('trak',
      fullBox('tkhd', 0, 3, fields([0, 4], [0, 4], [1, 4], [0, 4], [durationMs, 4], [0, 4], [0, 4], [0, 2], [0, 2], [0, 2], [0, 2]), MATRIX, fields([width * 65536, 4], [height * 65536, 4])),
      box('mdia',
        fullBox('mdhd', 0, 0, fields([0, 4], [0, 4], [fps, 4], [frameCount, 4], [0x55c4, 2], [0, 2])),
        fullBox('hdlr', 0, 0, fields([0, 4], 'vide', [0, 4], [0, 4], [0, 4], 'VideoHandler', [0, 1])),
        box('minf',
          fullBox('vmhd', 0, 1, fields([0, 2], [0, 2], [0, 2], [0, 2])),
          box('dinf', fullBox('dref', 0, 0, fields([1, 4]), fullBox('url ', 0, 1))),
          stbl(chunkOffset),
        ),
      ),
    ),
  );

  const ftyp = box('ftyp', fields('isom', [0x200, 4], 'isom', 'iso2', 'avc1', 'mp41'));
  const head = ftyp.length + moov(0).length;
  const mdat = box('mdat', ...samples);
  const out = new Uint8Array(head + mdat.length);
  out.set(ftyp, 0);
  out.set(moov(head + 8), ftyp.length);
  out.set(mdat, head);
  return out;
}
