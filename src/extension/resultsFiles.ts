// Where result images are kept: the `civitai.resultsFolder` setting, relative to the first
// workspace folder (or the extension's storage when no folder is open). Files are named after the
// workflow so the folder stays readable: `<folder>/<file stem>-<workflow id>/<step>-<n>.<ext>`.
import * as vscode from 'vscode';

export function resultsRoot(setting: string, storage: vscode.Uri): vscode.Uri {
  const isAbsolute = /^([a-zA-Z]:[\\/]|[\\/])/.test(setting);
  if (isAbsolute) return vscode.Uri.file(setting);
  const folder = vscode.workspace.workspaceFolders?.[0];
  const base = folder ? folder.uri : vscode.Uri.joinPath(storage, 'results');
  return vscode.Uri.joinPath(base, ...setting.split(/[\\/]+/).filter((s) => s && s !== '.'));
}

/** A file-system friendly piece of a name. */
export function safeName(text: string, max = 60): string {
  const cleaned = text.replace(/\.civitai\.json$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return cleaned.slice(0, max) || 'workflow';
}

export function workflowFolder(root: vscode.Uri, label: string, workflowId: string): vscode.Uri {
  return vscode.Uri.joinPath(root, `${safeName(label, 40)}-${safeName(workflowId, 60)}`);
}

/** The image type from its first bytes (the service's URLs don't always say). */
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

export async function writeOutputFile(folder: vscode.Uri, stepName: string, where: string, bytes: Uint8Array, media: string): Promise<vscode.Uri> {
  const file = vscode.Uri.joinPath(folder, `${safeName(stepName, 40)}-${safeName(where, 60)}.${outputExtension(bytes, media)}`);
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(file, bytes);
  return file;
}

export async function writeImage(folder: vscode.Uri, stepName: string, index: number, bytes: Uint8Array): Promise<vscode.Uri> {
  const file = vscode.Uri.joinPath(folder, `${safeName(stepName, 40)}-${index}.${imageExtension(bytes)}`);
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(file, bytes);
  return file;
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
