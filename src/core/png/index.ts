// PNG helpers: container (chunks), header, encoder, decoder, data-URL reading.
// Metadata helpers (tEXt and friends) belong in their own module here, built on
// `readPngChunks` / `withChunks`.
export { PNG_SIGNATURE, PngFormatError, crc32, hasPngSignature, readPngChunks, scanPngChunks, writePngChunks, withChunks } from './chunks';
export type { ChunkScan, PngChunk, ReadChunksOptions } from './chunks';
export { ColorType, readPngHeader } from './header';
export type { PngHeader } from './header';
export { encodePng } from './encode';
export type { RawImage, Channels, EncodeOptions, RowFilter } from './encode';
export { decodePng } from './decode';
export type { DecodedPng, DecodeOptions } from './decode';
export { pngBytesFromDataUrl, pngHeaderFromImageString } from './data-url';
