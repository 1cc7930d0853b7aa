// The tag index over the shipped Danbooru tags (media/data/danbooru-tags.tsv.br), built on first
// use: never at activation. ~1.1 MB on disk, read and indexed once per process.
import { readDataBytes } from './data-files';
import { TagIndex } from './tag-index';

let shared: TagIndex | undefined;

export function shippedTagIndex(): TagIndex {
  return (shared ??= TagIndex.fromBytes(readDataBytes('danbooru-tags.tsv.br')));
}

/** Whether the index is already built (the editor shows a hint instead of blocking when not). */
export function shippedTagIndexLoaded(): boolean {
  return shared !== undefined;
}
