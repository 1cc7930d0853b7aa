// File types of downloaded outputs, from their first bytes (the service's URLs don't always say):
// the extension and the CLI name saved files the same way.

/** The image type from its first bytes. */
export function imageExtension(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46 && bytes[8] === 0x57 && bytes[9] === 0x45) return 'webp';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'gif';
  if (/^\s*<(\?xml|svg)/.test(asciiStart(bytes))) return 'svg';
  return 'bin';
}

export const IMAGE_MIME: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', svg: 'image/svg+xml' };

function asciiStart(bytes: Uint8Array, n = 16): string {
  return String.fromCharCode(...bytes.subarray(0, n));
}

/** The extension of an output file that is not a gallery image (video, audio, 3D model, archive…), from its bytes. */
export function outputExtension(bytes: Uint8Array, media: string): string {
  const head = asciiStart(bytes, 12);
  if (head.slice(4, 8) === 'ftyp') return head.slice(8, 11) === 'qt ' ? 'mov' : 'mp4';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WAVE') return 'wav';
  if (head.startsWith('ID3') || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) return 'mp3';
  if (head.startsWith('OggS')) return 'ogg';
  if (head.startsWith('fLaC')) return 'flac';
  if (head.startsWith('glTF')) return 'glb';
  if (head.startsWith('Kaydara FBX')) return 'fbx';
  if (head.startsWith('PK')) return 'zip';
  // safetensors: a little-endian header length, then JSON.
  if (bytes.length > 9 && bytes[8] === 0x7b && bytes[4] === 0 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) return 'safetensors';
  if (/^\s*[{[]/.test(head)) return 'json';
  const image = imageExtension(bytes);
  if (image !== 'bin') return image;
  return media === 'model3d' ? 'glb' : 'bin';
}
