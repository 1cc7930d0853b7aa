// Stand-in audio: a short seeded melody (pentatonic notes with a soft envelope) as 16-bit mono
// PCM in a WAV file, which every player reads.
import { mulberry32 } from '../../core/random';
import { seed32 } from '../images';

export const WAV_SAMPLE_RATE = 16_000;

export function renderWav(seconds: number, seed: number): Uint8Array {
  const rate = WAV_SAMPLE_RATE;
  const count = Math.max(1, Math.round(seconds * rate));
  const rand = mulberry32(seed32(seed));
  const root = 196 * 2 ** (Math.floor(rand() * 12) / 12);
  const steps = [0, 2, 4, 7, 9, 12];
  const noteLength = Math.round(rate * (0.25 + rand() * 0.25));
  const out = new Uint8Array(44 + count * 2);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + count * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, count * 2, true);
  let frequency = root;
  let phase = 0;
  for (let i = 0; i < count; i++) {
    const inNote = i % noteLength;
    if (inNote === 0) frequency = root * 2 ** (steps[Math.floor(rand() * steps.length)] / 12);
    phase += (2 * Math.PI * frequency) / rate;
    const envelope = Math.min(1, inNote / 200) * Math.exp((-3 * inNote) / noteLength);
    const sample = 0.35 * envelope * (Math.sin(phase) + 0.3 * Math.sin(2 * phase));
    view.setInt16(44 + i * 2, Math.round(sample * 32767), true);
  }
  return out;
}
