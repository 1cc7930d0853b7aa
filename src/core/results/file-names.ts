// File names built from data the service sends (workflow ids, step names) and the check that a
// file so named stays inside the folder chosen for it. Server data is never a path: `../../x`,
// `/etc/x`, `C:\x`, NUL or a name of dots all become one harmless segment.
import * as path from 'node:path';

/** A file-system friendly piece of a name: [A-Za-z0-9._-] only, no leading/trailing dots or dashes. */
export function safeName(text: string, max = 60): string {
  const cleaned = text.replace(/\.civitai\.json$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return cleaned.slice(0, max).replace(/[-.]+$/, '') || 'workflow';
}

/** Whether `candidate` (after resolving) is strictly inside `folder`. */
export function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(candidate));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** `folder/name`, or a thrown Error when the name would leave the folder (it never should). */
export function pathInside(folder: string, name: string): string {
  const file = path.resolve(folder, name);
  if (!isInside(folder, file) || path.dirname(file) !== path.resolve(folder)) {
    throw new Error(`refusing to write ${JSON.stringify(name)}: it would land outside ${folder}`);
  }
  return file;
}

// The file type of a download comes from its bytes: one home for that, shared with these names.
export { IMAGE_MIME, imageExtension, outputExtension } from './file-types';
