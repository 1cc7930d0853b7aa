// Stand-in vector output (imageToSvg): the seeded pattern's idea as SVG shapes.
import { mulberry32 } from '../../core/random';
import { seed32 } from '../images';

export function renderSvg(width: number, height: number, seed: number): Uint8Array {
  const rand = mulberry32(seed32(seed));
  const color = (): string => `rgb(${Math.floor(rand() * 256)},${Math.floor(rand() * 256)},${Math.floor(rand() * 256)})`;
  const shapes: string[] = [];
  const count = 3 + Math.floor(rand() * 4);
  for (let i = 0; i < count; i++) {
    const x = Math.round(rand() * width);
    const y = Math.round(rand() * height);
    const r = Math.round((0.08 + rand() * 0.25) * Math.min(width, height));
    shapes.push(rand() < 0.5
      ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${color()}"/>`
      : `<rect x="${x - r}" y="${y - Math.round(r * 0.6)}" width="${2 * r}" height="${Math.round(r * 1.2)}" fill="${color()}"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${color()}"/><stop offset="1" stop-color="${color()}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>
${shapes.join('\n')}
</svg>
`;
  return new TextEncoder().encode(svg);
}
