// A sweep's results as one picture per Z page, the way X/Y plots are shared: X values across the
// top, Y values down the left, each cell's first image scaled to a common tile. The PNG carries
// the parameters of the first cell (so it imports back as a workflow) and the axes, in text chunks.
import { decodePng } from '../png/decode';
import { encodePng } from '../png/encode';
import { withParameters } from '../png/text-chunks';
import { drawText, GLYPH_HEIGHT, textWidth, type RgbCanvas } from '../raster/font5x7';
import type { SweepAxis } from './expand';

export interface GridImage {
  x: number;
  y: number;
  z: number;
  png: Uint8Array;
}

export interface GridOptions {
  /** Longest side of a tile in pixels (default 256). */
  tile?: number;
  /** A1111 `parameters` text to embed (e.g. the first cell's), so the grid imports back. */
  parameters?: string;
}

const PAD = 8;
const SCALE = 2;
const LINE = GLYPH_HEIGHT * SCALE;
const INK: [number, number, number] = [20, 20, 20];
const MISSING: [number, number, number] = [200, 200, 200];
/** Labels longer than this are cut with "..." so one long prompt cannot make the grid huge. */
const MAX_LABEL_CHARS = 40;

/** One PNG per Z page (a sweep without a Z axis gives one). */
export function composeSweepGrid(axes: readonly SweepAxis[], images: readonly GridImage[], options: GridOptions = {}): Uint8Array[] {
  const tileMax = options.tile ?? 256;
  const [xAxis, yAxis, zAxis] = axes;
  const columns = xAxis?.values.length ?? 1;
  const rows = yAxis?.values.length ?? 1;
  const pages = zAxis?.values.length ?? 1;

  // Tiles share one size: the first image's aspect ratio fitted into tileMax.
  const decoded = images.map((img) => ({ ...img, raw: tryDecode(img.png) }));
  const first = decoded.find((d) => d.raw)?.raw;
  const aspect = first ? first.width / first.height : 1;
  const tileW = Math.max(16, Math.round(aspect >= 1 ? tileMax : tileMax * aspect));
  const tileH = Math.max(16, Math.round(aspect >= 1 ? tileMax / aspect : tileMax));

  const cut = (text: string) => (text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 3)}...` : text);
  const xLabels = (xAxis?.values ?? ['']).map(cut);
  const yLabels = (yAxis?.values ?? []).map(cut);
  const left = yLabels.length ? Math.max(...yLabels.map((l) => textWidth(l, SCALE)), textWidth(cut(yAxis?.label ?? ''), SCALE)) + 2 * PAD : PAD;
  const top = 2 * LINE + 3 * PAD;
  const width = left + columns * (tileW + PAD);
  const height = top + rows * (tileH + PAD);

  const out: Uint8Array[] = [];
  for (let z = 0; z < pages; z++) {
    const canvas: RgbCanvas = { width, height, data: new Uint8Array(width * height * 3).fill(255) };
    const title = [xAxis && `X: ${xAxis.label}`, yAxis && `Y: ${yAxis.label}`, zAxis && `Z: ${zAxis.label} = ${zAxis.values[z]}`]
      .filter(Boolean).join('   ');
    drawText(canvas, cut(title).slice(0, Math.floor(width / (6 * SCALE))), PAD, PAD, SCALE, INK);
    for (let col = 0; col < columns; col++) {
      const label = xLabels[col];
      const x0 = left + col * (tileW + PAD);
      drawText(canvas, label, x0 + Math.max(0, Math.floor((tileW - textWidth(label, SCALE)) / 2)), LINE + 2 * PAD, SCALE, INK);
    }
    for (let row = 0; row < rows; row++) {
      const y0 = top + row * (tileH + PAD);
      if (yLabels[row]) drawText(canvas, yLabels[row], PAD, y0 + Math.floor((tileH - LINE) / 2), SCALE, INK);
      for (let col = 0; col < columns; col++) {
        const x0 = left + col * (tileW + PAD);
        const cell = decoded.find((d) => d.x === col && d.y === row && d.z === z);
        if (cell?.raw) blitScaled(canvas, cell.raw, x0, y0, tileW, tileH);
        else fill(canvas, x0, y0, tileW, tileH, MISSING);
      }
    }
    let png: Uint8Array = encodePng({ width, height, channels: 3, data: canvas.data }, { level: 6 });
    if (options.parameters) {
      png = withParameters(Buffer.from(png), `${options.parameters}\nSweep: ${axes.map((a) => `${a.axis.toUpperCase()}=${a.label} [${a.values.join(', ')}]`).join('; ')}`);
    }
    out.push(png);
  }
  return out;
}

function tryDecode(png: Uint8Array) {
  try {
    return decodePng(png, { maxPixels: 16 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** Area-averaging scale of any decoded PNG (grey, grey+alpha, RGB, RGBA; alpha over white). */
function blitScaled(canvas: RgbCanvas, image: { width: number; height: number; channels: number; data: Uint8Array }, x0: number, y0: number, w: number, h: number): void {
  const { width: sw, height: sh, channels, data } = image;
  for (let ty = 0; ty < h; ty++) {
    const sy0 = Math.floor((ty * sh) / h);
    const sy1 = Math.max(sy0 + 1, Math.floor(((ty + 1) * sh) / h));
    for (let tx = 0; tx < w; tx++) {
      const sx0 = Math.floor((tx * sw) / w);
      const sx1 = Math.max(sx0 + 1, Math.floor(((tx + 1) * sw) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let sy = sy0; sy < sy1; sy++) {
        for (let sx = sx0; sx < sx1; sx++) {
          const at = (sy * sw + sx) * channels;
          const grey = channels <= 2;
          const alpha = channels === 2 ? data[at + 1] / 255 : channels === 4 ? data[at + 3] / 255 : 1;
          const pr = data[at];
          const pg = grey ? data[at] : data[at + 1];
          const pb = grey ? data[at] : data[at + 2];
          r += pr * alpha + 255 * (1 - alpha);
          g += pg * alpha + 255 * (1 - alpha);
          b += pb * alpha + 255 * (1 - alpha);
          n++;
        }
      }
      const px = x0 + tx;
      const py = y0 + ty;
      if (px >= canvas.width || py >= canvas.height) continue;
      const o = (py * canvas.width + px) * 3;
      canvas.data[o] = Math.round(r / n);
      canvas.data[o + 1] = Math.round(g / n);
      canvas.data[o + 2] = Math.round(b / n);
    }
  }
}

function fill(canvas: RgbCanvas, x0: number, y0: number, w: number, h: number, rgb: readonly [number, number, number]): void {
  for (let y = y0; y < Math.min(canvas.height, y0 + h); y++) {
    for (let x = x0; x < Math.min(canvas.width, x0 + w); x++) {
      const o = (y * canvas.width + x) * 3;
      canvas.data[o] = rgb[0];
      canvas.data[o + 1] = rgb[1];
      canvas.data[o + 2] = rgb[2];
    }
  }
}
