// Stand-in videos: the first frame is the source image (image-to-video) or the seeded pattern,
// and a bright square circles over it while a thin bar along the bottom fills with time, so a
// player shows visible motion and progress. Encoded as H.264 in MP4 (see h264.ts).
import { decodePng } from '../../core/png';
import { drawSeededPattern, seed32 } from '../images';
import { mulberry32 } from '../../core/random';
import { encodeH264, rgbToYuv } from './h264';
import { muxMp4 } from './mp4';

export interface VideoSpec {
  width: number;
  height: number;
  fps: number;
  frames: number;
  seed: number;
  /** PNG of the first frame (scaled to fit); the seeded pattern when absent. */
  firstFrame?: Uint8Array;
}

/** Video sizes are multiples of 16 (whole macroblocks), at least 32. */
export function videoSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const fit = (n: number): number => Math.max(32, Math.round((n * scale) / 16) * 16);
  return { width: fit(width), height: fit(height) };
}

/** RGB pixels of `png` resized (nearest neighbour) to width×height. */
function scaledRgb(png: Uint8Array, width: number, height: number): Uint8Array {
  const src = decodePng(png, { maxPixels: 4096 * 4096 });
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.floor((y * src.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.floor((x * src.width) / width));
      const from = (sy * src.width + sx) * src.channels;
      const to = (y * width + x) * 3;
      if (src.channels >= 3) {
        out[to] = src.data[from];
        out[to + 1] = src.data[from + 1];
        out[to + 2] = src.data[from + 2];
      } else {
        out[to] = out[to + 1] = out[to + 2] = src.data[from];
      }
    }
  }
  return out;
}

export function renderVideoMp4(spec: VideoSpec): Uint8Array {
  const { width, height, fps, frames } = spec;
  const base = spec.firstFrame ? scaledRgb(spec.firstFrame, width, height) : drawSeededPattern(width, height, spec.seed).data;
  const rand = mulberry32(seed32(spec.seed) ^ 0x51ed);
  const color = [155 + Math.floor(rand() * 100), 155 + Math.floor(rand() * 100), 155 + Math.floor(rand() * 100)];
  const side = Math.max(8, Math.round(Math.min(width, height) / 6));
  const yuv = [];
  for (let f = 0; f < frames; f++) {
    const rgb = base.slice();
    const t = frames > 1 ? f / (frames - 1) : 0;
    const angle = t * Math.PI * 2;
    const cx = Math.round(width / 2 + Math.cos(angle) * (width / 2 - side) - side / 2);
    const cy = Math.round(height / 2 + Math.sin(angle) * (height / 2 - side) - side / 2);
    fill(rgb, width, cx, cy, side, side, color);
    fill(rgb, width, 0, height - 4, Math.round(width * t), 4, [255, 255, 255]);
    yuv.push(rgbToYuv(rgb, width, height));
  }
  return muxMp4(encodeH264(width, height, yuv), width, height, fps);
}

function fill(rgb: Uint8Array, width: number, x0: number, y0: number, w: number, h: number, color: number[]): void {
  const height = rgb.length / 3 / width;
  for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
      const p = (y * width + x) * 3;
      rgb[p] = color[0];
      rgb[p + 1] = color[1];
      rgb[p + 2] = color[2];
    }
  }
}
